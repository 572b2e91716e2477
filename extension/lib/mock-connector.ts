import type { CallEndReason, CallInfo } from '../../shared/protocol';
import type { UiConnector } from './ui-connector';
import type { UiAction, UiState } from './ui-state';

/** A connected host with extension 1001 registered: the state most previews and tests start from. */
export function mockUiState(over: Partial<UiState> = {}): UiState {
  return {
    connection: { status: 'connected', hello: { protocol: 1, app: '0.0.0-mock', pid: 1, role: 'primary' } },
    host: { pid: 1, app: '0.0.0-mock', protocol: 1, role: 'primary', uptimeMs: 0, home: '/mock' },
    registration: {
      state: 'registered',
      since: 0,
      account: { aor: 'sip:1001@pbx.example', extension: '1001', label: 'mock', server: 'wss://pbx.example/ws' },
    },
    calls: [],
    browser: 'chromium',
    ...over,
  };
}

let mockSeq = 0;

export function mockCall(over: Partial<CallInfo> = {}): CallInfo {
  return {
    id: `mock-${++mockSeq}`,
    direction: 'in',
    state: 'ringing-in',
    remote: { number: '0261616161', uri: 'sip:0261616161@pbx.example' },
    muted: false,
    onHold: false,
    remoteHold: false,
    startedAt: Date.now(),
    ...over,
  };
}

/**
 * What the host would roughly do with an action, so a preview or a test wired through the
 * connector sees calls move. Not the host's rules: just enough to be believable.
 */
export function simulate(state: UiState, action: UiAction, now: number): UiState {
  const patch = (id: string, change: (c: CallInfo) => Partial<CallInfo>): UiState => ({
    ...state,
    calls: state.calls.map((c) => (c.id === id ? { ...c, ...change(c) } : c)),
  });
  const end = (reason: CallEndReason, cause: string, code?: number) => (): Partial<CallInfo> => ({
    state: 'ended',
    endedAt: now,
    end: { originator: 'local', reason, cause, ...(code !== undefined ? { code } : {}) },
  });
  switch (action.type) {
    case 'dial': {
      const call = mockCall({
        direction: 'out',
        state: 'dialing',
        remote: { number: action.number, uri: `sip:${action.number}@pbx.example` },
        startedAt: now,
        ...(action.extId ? { extId: action.extId } : {}),
      });
      return { ...state, calls: [...state.calls, call] };
    }
    case 'answer':
      // Call waiting: answering one call holds the one that was talking.
      return {
        ...state,
        calls: state.calls.map((c) =>
          c.id === action.id
            ? { ...c, state: 'active', answeredAt: now }
            : c.state === 'active'
              ? { ...c, state: 'held', onHold: true }
              : c,
        ),
      };
    case 'decline':
      return patch(action.id, end('declined', 'Rejected', 603));
    case 'hangup':
      return patch(action.id, (c) => (c.answeredAt === undefined ? end('canceled', 'Canceled') : end('hung-up', 'Terminated'))());
    case 'hold':
      return patch(action.id, () => ({ state: action.hold ? 'held' : 'active', onHold: action.hold }));
    case 'mute':
      return patch(action.id, () => ({ muted: action.mute }));
    case 'transfer':
      return patch(action.id, end('hung-up', 'Terminated'));
    case 'dtmf':
    case 'retry':
      return state;
    case 'register':
    case 'unregister':
      return state.registration
        ? { ...state, registration: { ...state.registration, state: action.type === 'register' ? 'registered' : 'unregistered', since: now } }
        : state;
    default:
      // Settings and later capabilities are not simulated: the state stays as it is.
      return state;
  }
}

export interface MockConnector extends UiConnector {
  readonly state: UiState;
  /** Every action asked for, in order. */
  readonly acted: UiAction[];
  /** Pushes a new state to subscribers, as the background would. */
  set(change: Partial<UiState>): void;
  /** The next action fails with this message, as a host error would. */
  failNext(message: string): void;
}

/** The connector the popup gets in tests and previews: same interface as ui-connector.ts, no extension. */
export function createMockConnector(initial: UiState = mockUiState(), options: { simulate?: boolean } = {}): MockConnector {
  const listeners = new Set<(s: UiState) => void>();
  const acted: UiAction[] = [];
  let state = initial;
  let failure: string | undefined;
  const push = (next: UiState) => {
    state = next;
    for (const l of listeners) l(state);
  };
  return {
    get state() {
      return state;
    },
    acted,
    subscribe(listener) {
      listeners.add(listener);
      listener(state);
      return () => listeners.delete(listener);
    },
    async act(action) {
      // A hint to the media engine that changes no state: not what tests look for among the actions.
      if (action.type === 'media.prepare' || action.type === 'media.warm') return;
      acted.push(action);
      if (failure !== undefined) {
        const message = failure;
        failure = undefined;
        throw new Error(message);
      }
      if (options.simulate ?? true) push(simulate(state, action, Date.now()));
    },
    set(change) {
      push({ ...state, ...change });
    },
    failNext(message) {
      failure = message;
    },
  };
}
