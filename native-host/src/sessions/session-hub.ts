import type * as z from 'zod';
import { ErrorCode, PROTOCOL_VERSION, ProtocolError, type CallInfo, type HostEventName, type hostEvents, type HostInfo, type HotkeyStatus, type Message, type Registration } from '../../../shared/protocol';
import type { ControlConnection } from '../control/control-server';
import type { Logger } from '../log';
import { RpcSession, type Handlers, type SessionContext } from '../messaging/rpc-session';

export type EventInput<K extends HostEventName> = z.input<(typeof hostEvents)[K]['data']>;

export interface SessionHubDeps {
  app: string;
  log: Logger;
  home: string;
  /** With no browser and no call, how long the host waits for a browser before it exits. */
  idleExitMs: number;
  /** With calls up and no browser, how long they wait for one before they are given up. */
  orphanCallsMs: number;
  /** Every method but hello, from the capabilities (a secondary browser reaches a few only). */
  handlers(): Handlers;
  registration(): Registration;
  hotkeys(): HotkeyStatus;
  calls(): CallInfo[];
  /** A new client, before its first message. */
  opened(session: RpcSession): void;
  /** A browser (re)attached: it learns which peer connections are still ours, and whether to ring. */
  adoptMedia(browser: RpcSession): void;
  /** Calls waited for a browser in vain: their audio is gone. */
  orphaned(): void;
  /** No browser and no call: the host has nothing left to do. */
  idle(reason: string): void;
}

/** What a secondary browser may still do: look, never act. */
const READ_ONLY = new Set(['status', 'ping', 'settings.get']);

/**
 * The host's connected clients and their roles. The first browser owns the media bridge and the
 * calls; another browser connected at the same time is secondary (it may look, not act) until
 * the first one leaves; the CLI is never secondary. Also the two timers of a host without a
 * browser: calls wait a while for one to come back (a worker restart), and an idle host exits.
 */
export class SessionHub {
  private readonly sessions = new Set<RpcSession>();
  /** The browser session that owns the media bridge; undefined between browsers. */
  private owner: RpcSession | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private orphanTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly started = Date.now();

  constructor(private readonly deps: SessionHubDeps) {}

  get browser(): RpcSession | undefined {
    return this.owner;
  }

  roleOf(s?: SessionContext): 'primary' | 'secondary' {
    return s && s.client === 'extension' && this.owner !== undefined && this.owner !== s ? 'secondary' : 'primary';
  }

  hostInfo(s?: SessionContext): HostInfo {
    return {
      pid: process.pid,
      app: this.deps.app,
      protocol: PROTOCOL_VERSION,
      role: this.roleOf(s),
      // Kept on the wire for extensions that name it ("already running, pid …"); one host per user, so it is ours.
      ...(this.roleOf(s) === 'secondary' ? { primaryPid: process.pid } : {}),
      uptimeMs: Date.now() - this.started,
      home: this.deps.home,
    };
  }

  secondaryRegistration(): Registration {
    const b = this.owner?.browser;
    return {
      state: 'unregistered',
      since: Date.now(),
      code: ErrorCode.ALREADY_RUNNING,
      cause: `Already running: another browser${b ? ` (${b})` : ''} uses this VOIspeed UI (pid ${process.pid})`,
    };
  }

  registrationFor(s?: SessionContext): Registration {
    return this.roleOf(s) === 'secondary' ? this.secondaryRegistration() : this.deps.registration();
  }

  /** The sessions' own methods (`hello` is the session's): status and ping. */
  coreHandlers(): Pick<Handlers, 'status' | 'ping'> {
    return {
      status: (params, ctx) => {
        const gc = (globalThis as { gc?: () => void }).gc;
        if (params?.gc && gc) gc();
        const { rss, heapUsed, heapTotal } = process.memoryUsage();
        return { host: { ...this.hostInfo(ctx), memory: { rss, heapUsed, heapTotal } }, registration: this.registrationFor(ctx) };
      },
      ping: (params) => (params?.t === undefined ? {} : { t: params.t }),
    };
  }

  /** A push to every client; the host and registration pushes depend on who receives them. */
  broadcast<K extends HostEventName>(event: K, data: EventInput<K>): void {
    for (const s of this.sessions) {
      if (event === 'host') s.push('host', this.hostInfo(s));
      else if (event === 'registration' && this.roleOf(s) === 'secondary') s.push('registration', this.secondaryRegistration());
      else s.push(event, data);
    }
  }

  /** A push to the browser that owns the UI; false when none is connected. */
  toBrowser<K extends HostEventName>(event: K, data: EventInput<K>): boolean {
    if (!this.owner) return false;
    this.owner.push(event, data);
    return true;
  }

  /** The control socket's new connection (a launcher relaying a browser, or the CLI). */
  connect(send: (m: Message) => void): ControlConnection {
    const s = this.open(send);
    return {
      onMessage: (v) => void s.handle(v),
      onBadFrame: (code, message) => s.badFrame(code, message),
      onClose: () => {
        this.sessions.delete(s);
        s.close();
        this.detach(s);
      },
    };
  }

  /** Started by a launcher whose browser may never connect (it died at once): do not linger. */
  checkIdle(): void {
    if (this.owner || this.stopped || this.idleTimer || this.live()) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (!this.owner && !this.live()) this.deps.idle('no browser and no call');
    }, this.deps.idleExitMs);
  }

  stop(): void {
    this.stopped = true;
    this.clearTimers();
  }

  private live(): boolean {
    return this.deps.calls().some((c) => c.state !== 'ended');
  }

  private open(send: (m: Message) => void): RpcSession {
    const session: RpcSession = new RpcSession({
      app: this.deps.app,
      handlers: this.guarded(),
      role: () => this.roleOf(session),
      send,
      log: this.deps.log,
      onGreet: (s) => {
        if (s.client === 'extension' && !this.owner) this.attach(session);
      },
      onHello: (s) => {
        s.push('host', this.hostInfo(s));
        s.push('registration', this.registrationFor(s));
        s.push('hotkeys', this.deps.hotkeys());
        if (s === this.owner) this.deps.adoptMedia(session);
      },
    });
    this.sessions.add(session);
    this.deps.opened(session);
    return session;
  }

  private guarded(): Handlers {
    const handlers = this.deps.handlers();
    return Object.fromEntries(
      Object.entries(handlers).map(([method, handler]) => [
        method,
        (params: unknown, ctx: SessionContext) => {
          if (this.roleOf(ctx) === 'secondary' && !READ_ONLY.has(method)) {
            if (method === 'call.list') return { calls: [] };
            throw new ProtocolError(ErrorCode.ALREADY_RUNNING, this.secondaryRegistration().cause ?? 'already running');
          }
          return (handler as (p: unknown, c: SessionContext) => unknown)(params, ctx);
        },
      ]),
    ) as unknown as Handlers;
  }

  private attach(s: RpcSession): void {
    this.owner = s;
    this.clearTimers();
    this.deps.log.info({ browser: s.browser, calls: this.deps.calls().length }, 'browser attached');
  }

  private detach(s: RpcSession): void {
    if (this.owner !== s) return;
    this.owner = undefined;
    const next = [...this.sessions].find((x) => x.client === 'extension' && x.isGreeted);
    if (next) {
      this.attach(next);
      next.push('host', this.hostInfo(next));
      next.push('registration', this.registrationFor(next));
      this.deps.adoptMedia(next);
      return;
    }
    const live = this.deps.calls().length;
    this.deps.log.info({ calls: live }, 'browser detached');
    if (live > 0) {
      // A worker restart comes back within seconds; a browser that is gone does not.
      this.orphanTimer = setTimeout(() => {
        this.orphanTimer = undefined;
        if (!this.owner) this.deps.orphaned();
      }, this.deps.orphanCallsMs);
    }
    this.checkIdle();
  }

  private clearTimers(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.orphanTimer) clearTimeout(this.orphanTimer);
    this.idleTimer = this.orphanTimer = undefined;
  }
}
