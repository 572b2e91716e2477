import type { CountryCode } from 'libphonenumber-js';
import { selectionToNumber } from '../../../shared/phone/selection';
import { ErrorCode, type CallInfo, type HotkeyStatus, type hotkeys } from '../../../shared/protocol';
import type { DataOf, ResultOf } from '../../../shared/protocol/define';
import { HOTKEY_ACTIONS, type HotkeyAction, type HotkeySettings } from '../../../shared/settings/hotkeys';
import type { BindingRequest, HotkeyBackend } from './backend';
import type { HotkeyEnvironment } from './environment';

export type TriggerResult = ResultOf<typeof hotkeys.trigger>;
export type NotDialable = DataOf<typeof hotkeys.notDialable>;

/** Presses of the same hotkey closer together than this count once (key repeat, a double press). */
export const REPEAT_WINDOW_MS = 1000;

export interface HotkeyServiceDeps {
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  environment: HotkeyEnvironment;
  /** Opens the backend for the environment (X11 connection, uiohook helper); rejects with why not. */
  openBackend(env: Exclude<HotkeyEnvironment, { kind: 'unavailable' }>): Promise<HotkeyBackend>;
  /** Reads the selection when no backend is open (Wayland: wl-paste; hotkeys off: a short X connection). */
  readSelectionWithoutBackend(): Promise<string | undefined>;
  defaultCountry(): CountryCode;
  dial(number: string): Promise<CallInfo> | CallInfo;
  onStatus(status: HotkeyStatus): void;
  showPhone(reason: 'hotkey' | 'cli', callId?: string): void;
  notDialable(data: NotDialable): void;
  now?: () => number;
}

/**
 * The hotkeys of the primary host: holds the backend, applies the settings (re-grabbing when they
 * change), turns a press into a call or the phone window, and reports what it holds and why not.
 * Never throws at its callers: a failing X server leaves the host running without hotkeys.
 */
export class HotkeyService {
  private backend: HotkeyBackend | undefined;
  private current: HotkeyStatus;
  private readonly lastPress = new Map<HotkeyAction, number>();
  private queue: Promise<unknown> = Promise.resolve();
  private settings: HotkeySettings | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(private readonly deps: HotkeyServiceDeps) {
    this.now = deps.now ?? Date.now;
    const env = deps.environment;
    this.current = env.kind === 'unavailable' ? this.unavailable(env.reason, env.message) : { backend: 'none', available: false, message: 'starting', bindings: [] };
  }

  get status(): HotkeyStatus {
    return this.current;
  }

  /** The host started, or the settings changed: (re)apply them. Serialised. */
  apply(settings: HotkeySettings): Promise<void> {
    this.settings = settings;
    return this.serial(() => this.applyNow(settings));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.serial(() => this.closeBackend());
  }

  /** A hotkey was pressed, or `voispeed dial-selection` / `voispeed show` asked for its action. */
  async trigger(action: HotkeyAction, source: 'hotkey' | 'cli'): Promise<TriggerResult> {
    const now = this.now();
    const last = this.lastPress.get(action);
    this.lastPress.set(action, now);
    if (last !== undefined && now - last < REPEAT_WINDOW_MS) return { outcome: 'ignored' };
    if (action === 'show') {
      this.deps.showPhone(source);
      return { outcome: 'shown' };
    }
    let text: string | undefined;
    try {
      text = this.backend ? await this.backend.readSelection() : await this.deps.readSelectionWithoutBackend();
    } catch (err) {
      const message = `cannot read the selection: ${(err as Error).message}`;
      this.deps.log.warn({ err }, 'hotkey: selection');
      this.deps.notDialable({ excerpt: '', reason: 'no-selection', message });
      return { outcome: 'failed', reason: message };
    }
    if (text === undefined) {
      this.deps.notDialable({ excerpt: '', reason: 'no-selection' });
      return { outcome: 'not-dialable', reason: 'nothing is highlighted' };
    }
    const r = selectionToNumber(text, this.deps.defaultCountry());
    if (!r.ok) {
      this.deps.notDialable({ excerpt: r.excerpt, reason: r.reason });
      return { outcome: 'not-dialable', excerpt: r.excerpt, reason: r.reason };
    }
    try {
      const call = await this.deps.dial(r.number);
      this.deps.showPhone(source, call.id);
      return { outcome: 'dialled', call };
    } catch (err) {
      const message = (err as Error).message;
      // A call that started and failed (no microphone, …) is announced as a failed call, in the
      // user's language, by the extension: a second notice here would repeat it in English.
      if ((err as { code?: unknown })?.code !== ErrorCode.CALL_FAILED) {
        this.deps.notDialable({ excerpt: r.display.slice(0, 64), reason: 'dial-failed', message: message.slice(0, 300) });
      }
      return { outcome: 'failed', excerpt: r.display.slice(0, 64), reason: message.slice(0, 300) };
    }
  }

  private async applyNow(settings: HotkeySettings): Promise<void> {
    if (this.stopped) return;
    const env = this.deps.environment;
    if (env.kind === 'unavailable') {
      this.publish(this.unavailable(env.reason, env.message));
      return;
    }
    if (!settings.enabled) {
      await this.closeBackend();
      this.publish(this.unavailable('disabled', 'hotkeys are turned off in the options', env.kind === 'x11' ? 'x11' : 'uiohook'));
      return;
    }
    const requests: BindingRequest[] = HOTKEY_ACTIONS.map((action) => ({ action, combination: settings[action] }));
    let binding: HotkeyBackend | undefined;
    try {
      if (!this.backend) {
        const backend = await this.deps.openBackend(env);
        backend.onPress((action) => void this.trigger(action, 'hotkey').catch((err) => this.deps.log.warn({ err }, 'hotkey')));
        backend.onLost((message) => {
          if (this.backend !== backend) return;
          this.backend = undefined;
          this.deps.log.warn({ message }, 'hotkeys lost');
          this.publish(this.unavailable(env.kind === 'x11' ? 'x-server' : 'helper-failed', message, backend.kind));
        });
        this.backend = backend;
      }
      const backend = this.backend;
      binding = backend;
      const bindings = await backend.bind(requests);
      // Lost while binding: the loss is what counts, and it has been reported.
      if (this.backend !== backend) return;
      this.deps.log.info({ bindings }, 'hotkeys bound');
      this.publish({ backend: backend.kind, available: true, bindings });
    } catch (err) {
      // Lost while binding (the pending bind was rejected): the loss is what counts, and it has been reported.
      if (binding && this.backend !== binding) return;
      const message = (err as Error).message.slice(0, 300);
      this.deps.log.warn({ err }, 'hotkeys unavailable');
      await this.closeBackend();
      this.publish(this.unavailable(env.kind === 'x11' ? 'x-server' : 'helper-failed', message, env.kind));
    }
  }

  private unavailable(reason: HotkeyStatus['reason'] & string, message: string, backend: HotkeyStatus['backend'] = 'none'): HotkeyStatus {
    const s = this.settings;
    return {
      backend,
      available: false,
      reason,
      message,
      bindings: HOTKEY_ACTIONS.map((action) => ({ action, combination: s ? s[action] : null, state: s && s[action] === null ? 'unbound' : 'failed' })),
    };
  }

  private publish(status: HotkeyStatus): void {
    this.current = status;
    this.deps.onStatus(status);
  }

  private async closeBackend(): Promise<void> {
    const b = this.backend;
    this.backend = undefined;
    await b?.close().catch((err) => this.deps.log.warn({ err }, 'closing the hotkey backend'));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
