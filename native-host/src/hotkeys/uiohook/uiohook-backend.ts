import { ErrorCode, ProtocolError, type HotkeyBinding } from '../../../../shared/protocol';
import { Connection } from '../../../../shared/rpc/connection';
import type { HotkeyAction } from '../../../../shared/settings/hotkeys';
import { unbound, type BindingRequest, type HotkeyBackend } from '../backend';
import type { Clipboard } from './clipboard';
import { copySelection } from './copy-selection';
import { fromHelperFrame, helperSide, parentSide, toHelperFrame, type FromHelper, type ToHelper } from './messages';

/** The helper child process as the backend sees it; `child_process.fork` gives one, tests a fake. */
export interface HelperProcess {
  send(message: ToHelper): void;
  onMessage(listener: (m: FromHelper) => void): void;
  /** The process ended: exit code, or the signal (SIGABRT when uiohook aborted it). */
  onExit(listener: (why: string) => void): void;
  kill(): void;
}

export interface UiohookOptions {
  platform: NodeJS.Platform;
  spawnHelper(): HelperProcess;
  clipboard: Clipboard;
  startTimeoutMs?: number;
  requestTimeoutMs?: number;
}

/**
 * Windows/macOS hotkeys through the uiohook helper (helper.ts). The hook is passive: the focused
 * program gets the key too, and "in use" cannot be known, so bindings report `listening`.
 */
export class UiohookBackend implements HotkeyBackend {
  readonly kind = 'uiohook' as const;
  private readonly pressListeners = new Set<(a: HotkeyAction) => void>();
  private readonly lostListeners = new Set<(m: string) => void>();
  private readonly connection: Connection<typeof parentSide, typeof helperSide>;
  private closed = false;

  private constructor(
    private readonly child: HelperProcess,
    private readonly o: UiohookOptions,
  ) {
    this.connection = new Connection({
      local: parentSide,
      remote: helperSide,
      send: (m) => {
        const frame = toHelperFrame(m);
        if (frame) child.send(frame);
      },
      timeoutMs: o.requestTimeoutMs ?? 3000,
      timeoutText: (method) => `the keyboard hook helper did not answer ${method}`,
    });
    this.connection.on('press', ({ action }) => {
      for (const l of this.pressListeners) l(action);
    });
  }

  static open(o: UiohookOptions): Promise<UiohookBackend> {
    const child = o.spawnHelper();
    const backend = new UiohookBackend(child, o);
    return new Promise((resolve, reject) => {
      let started = false;
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error('the keyboard hook helper did not start'));
      }, o.startTimeoutMs ?? 5000);
      child.onMessage((m) => {
        if (m.type === 'ready' && !started) {
          started = true;
          clearTimeout(timer);
          resolve(backend);
        } else if (m.type === 'fatal') {
          clearTimeout(timer);
          child.kill();
          if (started) backend.lost(m.message);
          else reject(new Error(m.message));
        } else {
          const message = fromHelperFrame(m);
          if (message) void backend.connection.receive(message);
        }
      });
      child.onExit((why) => {
        clearTimeout(timer);
        if (!started) reject(new Error(`the keyboard hook helper ended (${why})`));
        else backend.lost(`the keyboard hook helper ended (${why})`);
      });
    });
  }

  private lost(message: string): void {
    if (this.closed) return;
    this.closed = true;
    this.connection.rejectPending((method) => new ProtocolError(ErrorCode.DISCONNECTED, `the keyboard hook helper ended while ${method} was pending: ${message}`));
    for (const l of this.lostListeners) l(message);
  }

  onPress(listener: (a: HotkeyAction) => void): void {
    this.pressListeners.add(listener);
  }

  onLost(listener: (m: string) => void): void {
    this.lostListeners.add(listener);
  }

  async bind(bindings: readonly BindingRequest[]): Promise<HotkeyBinding[]> {
    const wanted = bindings.filter((b): b is BindingRequest & { combination: string } => b.combination !== null);
    if (this.closed) throw new Error('the keyboard hook helper is not running');
    const reply = await this.connection.request('bind', { bindings: wanted });
    return bindings.map((b) => {
      if (b.combination === null) return unbound(b.action);
      const error = reply.errors?.find((e) => e.action === b.action);
      return error
        ? { action: b.action, combination: b.combination, state: 'failed', message: error.message }
        : { action: b.action, combination: b.combination, state: 'listening' };
    });
  }

  readSelection(): Promise<string | undefined> {
    return copySelection({
      readClipboard: () => this.o.clipboard.read().catch(() => ''),
      writeClipboard: (text) => this.o.clipboard.write(text),
      sendCopy: () =>
        this.closed
          ? Promise.reject(new Error('the keyboard hook helper is not running'))
          : this.connection.request('copy', { platform: this.o.platform }).then(() => undefined),
      sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    this.connection.rejectPending((method) => new ProtocolError(ErrorCode.DISCONNECTED, `the keyboard hook helper was closed while ${method} was pending`));
    this.child.kill();
  }
}
