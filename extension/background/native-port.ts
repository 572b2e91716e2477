import {
  ErrorCode,
  extensionSide,
  hostSide,
  NATIVE_HOST_NAME,
  PROTOCOL_VERSION,
  ProtocolError,
  type ExtensionEventName,
  type ExtensionMethodName,
  type hostMethods,
  type HostEventName,
  type HostMethodName,
  type session,
} from '../../shared/protocol';
import { Connection, type EventData, type EventDataOut, type RequestHandler } from '../../shared/rpc/connection';
import type * as z from 'zod';

/** The slice of runtime.Port this module uses; a fake implements it in tests. */
export interface NativePortLike {
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: (port: NativePortLike) => void): void };
  /** Firefox reports why the port closed here; Chrome uses runtime.lastError. */
  error?: { message?: string } | null;
}

export type DisconnectReason = 'host-not-found' | 'forbidden' | 'host-exited' | 'version-mismatch' | 'error';

export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'connected'; hello: z.output<typeof session.hello.result> }
  | { status: 'disconnected'; reason: DisconnectReason; message: string; retryAt: number | undefined };

type Spec<K extends HostMethodName> = (typeof hostMethods)[K];
type Result<K extends HostMethodName> = z.output<Spec<K>['result']>;
type Params<K extends HostMethodName> = z.input<Spec<K>['params']>;

export interface NativePortOptions {
  connect(name: string): NativePortLike;
  /** Chrome's runtime.lastError at the time onDisconnect fires. */
  lastError(): string | undefined;
  appVersion: string;
  browser: string;
  requestTimeoutMs?: number;
  /** Includes starting the launcher and, when none runs, the host (see HELLO_TIMEOUT_MS). */
  helloTimeoutMs?: number;
  /** Backoff: base delay, cap and the jitter share (0..1). */
  backoff?: { baseMs: number; maxMs: number; jitter: number };
  random?: () => number;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
}

/**
 * The hello's timeout. The browser starts the launcher, a Node process, which starts the host,
 * another one, when none runs: on a loaded machine that takes several seconds each. A 5 s hello
 * timeout abandoned the launcher while its host was still starting; that host then exited idle
 * before the next (equally slow) attempt reached it, and so on: "Connecting…" for good. The
 * launcher waits for its host up to 30 s (native-host/src/launcher/relay.ts) and exits when the
 * host dies, which closes the port at once; this only catches a host that never answers.
 */
export const HELLO_TIMEOUT_MS = 45_000;

/**
 * The only caller of connectNative: request ids and timeouts, every pending request rejected on
 * disconnect, named disconnect reasons, reconnect with exponential backoff and jitter.
 */
export class NativePort {
  private port: NativePortLike | undefined;
  private readonly connection: Connection<typeof extensionSide, typeof hostSide>;
  private attempt = 0;
  private reconnectTimer: unknown;
  private stopped = true;
  private stateValue: ConnectionState = { status: 'disconnected', reason: 'error', message: 'not started', retryAt: undefined };
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private readonly o: Required<Omit<NativePortOptions, 'connect' | 'lastError' | 'appVersion' | 'browser'>> &
    Pick<NativePortOptions, 'connect' | 'lastError' | 'appVersion' | 'browser'>;

  constructor(options: NativePortOptions) {
    this.o = {
      requestTimeoutMs: 10_000,
      helloTimeoutMs: HELLO_TIMEOUT_MS,
      backoff: { baseMs: 500, maxMs: 30_000, jitter: 0.3 },
      random: Math.random,
      now: Date.now,
      setTimer: (fn, ms) => setTimeout(fn, ms),
      clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
      ...options,
    };
    this.connection = new Connection({
      local: extensionSide,
      remote: hostSide,
      send: (m) => {
        if (!this.port) throw new ProtocolError(ErrorCode.DISCONNECTED, 'the VOIspeed host is not connected');
        this.port.postMessage(m);
      },
      timeoutMs: this.o.requestTimeoutMs,
      timers: { set: this.o.setTimer, clear: this.o.clearTimer },
      timeoutText: (method, ms) => `the host did not answer ${method} within ${ms} ms`,
    });
  }

  get state(): ConnectionState {
    return this.stateValue;
  }

  onState(listener: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(listener);
    return () => this.stateListeners.delete(listener);
  }

  /** Every push as it arrived (before validation), by name; prefer `on`. */
  onEvent(listener: (event: string, data: unknown) => void): () => void {
    return this.connection.tap(listener);
  }

  /** One push from the host, validated against the shared table; returns the unsubscribe. */
  on<K extends HostEventName>(event: K, listener: (data: EventData<typeof extensionSide, K>) => void): () => void {
    return this.connection.on(event, listener);
  }

  /** Serves one request the host sends to the extension (the media bridge, Integra's open). */
  handle<K extends ExtensionMethodName>(method: K, handler: RequestHandler<typeof extensionSide, K>): () => void {
    return this.connection.handle(method, handler);
  }

  /** A push to the host, validated first; dropped while disconnected (the host is gone, so is what it waited for). */
  notify<K extends ExtensionEventName>(event: K, data: EventDataOut<typeof hostSide, K>): void {
    if (this.stateValue.status !== 'connected' || !this.port) return;
    try {
      this.connection.notify(event, data);
    } catch (err) {
      // The port closed under us (onDisconnect reports it), or the data was malformed: never sent.
      if (err instanceof ProtocolError && err.code !== ErrorCode.DISCONNECTED) console.warn(`[voispeed] ${event} not sent: ${err.message}`);
    }
  }

  start(): void {
    this.stopped = false;
    if (!this.port) this.open();
  }

  /** Reconnects now, skipping any backoff wait (the popup's Retry button). */
  retryNow(): void {
    this.stopped = false;
    if (this.port) return;
    if (this.reconnectTimer !== undefined) this.o.clearTimer(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.attempt = 0;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    if (this.reconnectTimer !== undefined) this.o.clearTimer(this.reconnectTimer);
    this.reconnectTimer = undefined;
    const port = this.port;
    this.port = undefined;
    port?.disconnect();
    this.failAll('the extension closed the connection');
    this.setState({ status: 'disconnected', reason: 'error', message: 'stopped', retryAt: undefined });
  }

  request<K extends HostMethodName>(method: K, params?: Params<K>, timeoutMs?: number): Promise<Result<K>> {
    if (this.stateValue.status !== 'connected' && method !== 'hello') {
      return Promise.reject(new ProtocolError(ErrorCode.DISCONNECTED, 'the VOIspeed host is not connected'));
    }
    return this.send(method, params, timeoutMs ?? this.o.requestTimeoutMs) as Promise<Result<K>>;
  }

  private send(method: HostMethodName, params: unknown, timeoutMs: number): Promise<unknown> {
    if (!this.port) return Promise.reject(new ProtocolError(ErrorCode.DISCONNECTED, 'the VOIspeed host is not connected'));
    return this.connection.request(method, params as never, { timeoutMs });
  }

  private open(): void {
    this.attempt += 1;
    this.setState({ status: 'connecting', attempt: this.attempt });
    let port: NativePortLike;
    try {
      port = this.o.connect(NATIVE_HOST_NAME);
    } catch (err) {
      this.closed('error', (err as Error).message);
      return;
    }
    this.port = port;
    // A reply goes back on the port its request came from, never to a newer host that never asked.
    port.onMessage.addListener((m) => void this.connection.receive(m, (reply) => {
      if (port === this.port) port.postMessage(reply);
    }));
    port.onDisconnect.addListener((p) => {
      if (this.port !== port) return;
      this.port = undefined;
      const message = p.error?.message ?? this.o.lastError() ?? 'the host closed the connection';
      this.closed(classify(message), message);
    });
    const params: Params<'hello'> = {
      protocol: PROTOCOL_VERSION,
      app: this.o.appVersion,
      client: 'extension',
      browser: this.o.browser,
    };
    this.send('hello', params, this.o.helloTimeoutMs).then(
      (hello) => {
        if (this.port !== port) return;
        this.attempt = 0;
        this.setState({ status: 'connected', hello: hello as Result<'hello'> });
      },
      (err: unknown) => {
        if (this.port !== port) return;
        const versionMismatch = err instanceof ProtocolError && err.code === ErrorCode.VERSION_MISMATCH;
        this.port = undefined;
        port.disconnect();
        this.closed(versionMismatch ? 'version-mismatch' : 'error', (err as Error).message);
      },
    );
  }

  private closed(reason: DisconnectReason, message: string): void {
    this.failAll(`the VOIspeed host disconnected: ${message}`);
    if (this.stopped) return;
    const delay = this.delayFor(reason);
    const retryAt = delay === undefined ? undefined : this.o.now() + delay;
    this.setState({ status: 'disconnected', reason, message, retryAt });
    if (delay !== undefined) {
      this.reconnectTimer = this.o.setTimer(() => {
        this.reconnectTimer = undefined;
        if (!this.stopped && !this.port) this.open();
      }, delay);
    }
  }

  /** Exponential backoff with jitter; a missing host is retried slowly, a version mismatch not at all. */
  private delayFor(reason: DisconnectReason): number | undefined {
    if (reason === 'version-mismatch') return undefined;
    const { baseMs, maxMs, jitter } = this.o.backoff;
    const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, this.attempt - 1));
    const floor = reason === 'host-not-found' || reason === 'forbidden' ? Math.min(maxMs, 10_000) : 0;
    const base = Math.max(exp, floor);
    return Math.round(base * (1 - jitter + 2 * jitter * this.o.random()));
  }

  private failAll(message: string): void {
    this.connection.rejectPending((method) => new ProtocolError(ErrorCode.DISCONNECTED, `${message} (while waiting for ${method})`));
  }

  private setState(state: ConnectionState): void {
    this.stateValue = state;
    for (const l of this.stateListeners) l(state);
  }
}

/** Maps the browser's disconnect messages (Chrome's and Firefox's wording) to a reason. */
export function classify(message: string): DisconnectReason {
  const m = message.toLowerCase();
  if (m.includes('not found') || m.includes('no such native application')) return 'host-not-found';
  if (m.includes('forbidden')) return 'forbidden';
  if (m.includes('exited') || m.includes('closed')) return 'host-exited';
  return 'error';
}
