import type { Readable, Writable } from 'node:stream';
import { APP_VERSION } from '../../shared/app-version';
import { ErrorCode, ProtocolError, PROTOCOL_VERSION, type HostInfo, type Message } from '../../shared/protocol';
import { connectControl } from './control/control-client';
import { startControlServer, type ControlServer } from './control/control-server';
import { lockName, tryAcquireLock, type InstanceLock } from './instance/single-instance';
import type { Logger } from './log';
import { Channel } from './messaging/channel';
import { RpcSession, type Handlers } from './messaging/rpc-session';
import { controlSocketPath, settingsFile, type HostPaths } from './settings/paths';
import { SettingsService } from './settings/settings-service';
import { SettingsStore } from './settings/settings-store';
import { publicSettings } from '../../shared/settings';
import { DEFAULT_DIAL_FORMAT } from '../../shared/phone/dial-string';
import { AccountProposals } from './account/account-proposals';
import { BridgedPeerConnection } from './sip/bridged-peer-connection';
import { CallManager } from './sip/call-manager';
import { MediaEventRouter, type MediaBridge } from './sip/media-bridge';
import { startRegistration } from './sip/registration';
import { installWebRtcGlobals } from './sip/webrtc-globals';

export interface HostDeps {
  paths: HostPaths;
  log: Logger;
  input: Readable;
  output: Writable;
  platform: NodeJS.Platform;
  uid: number | undefined;
  /** How often a secondary host retries to become primary. */
  takeoverIntervalMs?: number;
}

export interface Host {
  /** Resolves when the browser closed the connection. */
  readonly closed: Promise<string>;
  stop(): Promise<void>;
}

/**
 * The composition of the host's capabilities for one browser connection: the native channel,
 * the instance lock, SIP registration and the control socket.
 */
export async function startHost(deps: HostDeps): Promise<Host> {
  const { paths, log, platform, uid } = deps;
  const started = Date.now();
  const settings = new SettingsService(new SettingsStore(settingsFile(paths)));
  const registration = startRegistration({ log, appVersion: APP_VERSION });
  const mediaRouter = new MediaEventRouter();
  // Set once the browser channel exists; media always goes to the browser that started us.
  let browser: RpcSession | undefined;
  const bridge: MediaBridge = {
    request: (method, params) => {
      if (!browser) return Promise.reject(new ProtocolError(ErrorCode.DISCONNECTED, 'no browser is connected for audio'));
      return browser.request(method, params);
    },
    subscribe: (pcId, listener) => mediaRouter.subscribe(pcId, listener),
    nextPcId: () => mediaRouter.nextPcId(),
  };
  installWebRtcGlobals(
    (config) => new BridgedPeerConnection(bridge, config, (err, what) => log.warn({ err, what }, 'media bridge')),
  );
  const calls = new CallManager({
    log,
    ua: () => registration.ua(),
    isRegistered: () => registration.snapshot().state === 'registered',
    aor: () => registration.account()?.uri,
    dialFormat: () => DEFAULT_DIAL_FORMAT,
    iceServers: () => [],
    ring: (on) => void bridge.request('media.ring', { on }).catch((err) => log.warn({ err }, 'ringtone')),
  });
  registration.onUa((ua) => calls.attach(ua));
  const sessions = new Set<RpcSession>();
  const socketPath = controlSocketPath(paths, platform, uid ?? 0);
  const lockId = lockName(paths.configDir, platform, uid ?? 0, `${socketPath}.lock`);
  let lock: InstanceLock | undefined;
  let control: ControlServer | undefined;
  let primaryPid: number | undefined;
  let takeoverTimer: NodeJS.Timeout | undefined;
  let stopping = false;

  const role = (): 'primary' | 'secondary' => (lock ? 'primary' : 'secondary');
  const hostInfo = (): HostInfo => ({
    pid: process.pid,
    app: APP_VERSION,
    protocol: PROTOCOL_VERSION,
    role: role(),
    ...(primaryPid && !lock ? { primaryPid } : {}),
    uptimeMs: Date.now() - started,
    home: paths.configDir,
  });
  const broadcast = (event: string, data: unknown) => {
    for (const s of sessions) s.push(event, data);
  };

  async function loadAccount() {
    return (await settings.load()).account;
  }

  const secondaryRegistration = () => ({
    state: 'unregistered' as const,
    since: Date.now(),
    cause: `Already running: another VOIspeed UI${primaryPid ? ` (pid ${primaryPid})` : ''} owns this account`,
  });
  const registrationNow = () => (lock ? registration.snapshot() : secondaryRegistration());

  const handlers: Handlers = {
    status: (params) => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (params?.gc && gc) gc();
      const { rss, heapUsed, heapTotal } = process.memoryUsage();
      return { host: { ...hostInfo(), memory: { rss, heapUsed, heapTotal } }, registration: registrationNow() };
    },
    ping: (params) => (params?.t === undefined ? {} : { t: params.t }),
    'account.register': async () => {
      if (!lock) throw new ProtocolError(ErrorCode.ALREADY_RUNNING, secondaryRegistration().cause);
      const account = await loadAccount();
      if (!account) throw new ProtocolError(ErrorCode.NO_ACCOUNT, 'no SIP account is configured');
      registration.setAccount(account);
      return registration.snapshot();
    },
    'account.unregister': async () => {
      if (!lock) throw new ProtocolError(ErrorCode.ALREADY_RUNNING, secondaryRegistration().cause);
      return registration.unregister();
    },
    // voispeed:U (account/account-proposals.ts): proposals from the CLI or a page link; only the
    // browser that owns the UI may apply or cancel one, after the user confirmed it there.
    'account.propose': async (p) => {
      if (!browser) throw new ProtocolError(ErrorCode.DISCONNECTED, 'no browser with the VOIspeed extension is connected to confirm the new account');
      return { proposal: await primaryOnly(() => proposals.propose(p)) };
    },
    'account.proposals': () => ({ proposals: proposals.list() }),
    'account.apply': (p, ctx) => primaryOnly(() => {
      if (ctx !== browser) throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'a new account is applied only from the confirmation page in the browser');
      return proposals.apply(p.id);
    }),
    'account.cancel': (p, ctx) => {
      if (ctx !== browser) throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'a new account is cancelled only from the confirmation page in the browser');
      return { proposal: proposals.cancel(p.id) };
    },
    'call.dial': (p) => ({ call: primaryOnly(() => calls.dial(p)) }),
    'call.answer': (p) => ({ call: primaryOnly(() => calls.answer(p.id)) }),
    'call.decline': (p) => ({ call: primaryOnly(() => calls.decline(p.id)) }),
    'call.hangup': (p) => ({ call: primaryOnly(() => calls.hangup(p?.id)) }),
    'call.hold': (p) => ({ call: primaryOnly(() => calls.hold(p.id, p.hold)) }),
    'call.mute': (p) => ({ call: primaryOnly(() => calls.mute(p.id, p.mute)) }),
    'call.dtmf': (p) => ({ call: primaryOnly(() => calls.dtmf(p.id, p.tones)) }),
    'call.transfer': (p) => ({ call: primaryOnly(() => calls.transfer(p.target, p.id)) }),
    'call.list': () => ({ calls: lock ? calls.list() : [] }),
    'settings.get': async () => ({ settings: publicSettings(await settings.get()) }),
    'settings.set': async (p) => ({ settings: publicSettings(await primaryOnly(() => settings.set(p.section, p.value))) }),
  };

  function primaryOnly<T>(action: () => T): T {
    if (!lock) throw new ProtocolError(ErrorCode.ALREADY_RUNNING, secondaryRegistration().cause);
    return action();
  }

  function newSession(send: (m: Message) => void): RpcSession {
    const session = new RpcSession({
      app: APP_VERSION,
      handlers,
      role,
      send,
      log,
      onHello: (s) => {
        s.push('host', hostInfo());
        s.push('registration', registrationNow());
      },
      onEvent: (event, data) => {
        if (event === 'media.pc') mediaRouter.dispatch(data as Parameters<MediaEventRouter['dispatch']>[0]);
      },
    });
    sessions.add(session);
    return session;
  }

  registration.onChange((r) => {
    if (lock) broadcast('registration', r);
  });
  calls.onChange((call) => broadcast('call', call));
  // The account an applied voispeed:U proposal saves is already registered: saving it must not restart it.
  let adopted: string | undefined;
  const proposals = new AccountProposals({
    currentAccount: loadAccount,
    trySwitch: (next, ms) => registration.trySwitch(next, ms),
    save: async (account) => {
      adopted = JSON.stringify(account);
      try {
        await settings.set('account', account);
      } finally {
        adopted = undefined;
      }
    },
    callsInProgress: () => calls.list().filter((c) => c.state !== 'ended').length,
    changed: (proposal) => browser?.push('account.proposal', proposal),
  });
  settings.onChange((next, changed) => {
    broadcast('settings', publicSettings(next));
    if (changed === 'account' && lock && !(adopted !== undefined && JSON.stringify(next.account) === adopted)) registration.setAccount(next.account);
  });

  async function becomePrimary(acquired: InstanceLock): Promise<void> {
    lock = acquired;
    primaryPid = undefined;
    try {
      control = await startControlServer(socketPath, platform, uid, (send) => {
        const s = newSession(send as (m: Message) => void);
        return {
          onMessage: (v) => void s.handle(v),
          onBadFrame: (code, message) => s.badFrame(code, message),
          onClose: () => sessions.delete(s),
        };
      });
    } catch (err) {
      log.error({ err, socketPath }, 'control socket unavailable; the CLI cannot reach this host');
    }
    broadcast('host', hostInfo());
    try {
      const account = await loadAccount();
      registration.setAccount(account);
    } catch (err) {
      log.error({ err }, 'settings unreadable');
      broadcast('registration', { state: 'failed', since: Date.now(), cause: (err as Error).message });
    }
  }

  async function findPrimaryPid(): Promise<number | undefined> {
    try {
      const client = await connectControl(socketPath);
      const st = await client.request('status', undefined, 2000);
      client.close();
      return st.host.pid;
    } catch {
      return undefined;
    }
  }

  function scheduleTakeover(): void {
    takeoverTimer = setTimeout(async () => {
      if (stopping) return;
      const acquired = await tryAcquireLock(lockId, platform !== 'linux' && platform !== 'win32').catch(() => undefined);
      if (acquired) {
        log.info('the other host is gone; taking over');
        await becomePrimary(acquired);
      } else {
        scheduleTakeover();
      }
    }, deps.takeoverIntervalMs ?? 5000);
    takeoverTimer.unref();
  }

  // Decide the role before reading the first request, so hello never reports a role that is
  // about to change; stdin stays paused (and buffered) until the channel attaches.
  const acquired = await tryAcquireLock(lockId, platform !== 'linux' && platform !== 'win32');
  lock = acquired;

  // The browser channel.
  let resolveClosed!: (reason: string) => void;
  const closed = new Promise<string>((r) => (resolveClosed = r));
  let browserChannel: Channel | undefined;
  const browserSession = newSession((m) => browserChannel?.send(m));
  browser = browserSession;
  browserChannel = new Channel(deps.input, deps.output, {
    onMessage: (v) => void browserSession.handle(v),
    onBadFrame: (code, message) => {
      log.warn({ code, message }, 'bad frame from the browser');
      browserSession.badFrame(code, message);
    },
    onClose: (reason) => {
      sessions.delete(browserSession);
      browserSession.close();
      browser = undefined;
      // Without the browser there is no audio: let JsSIP end every call cleanly.
      mediaRouter.failAll();
      resolveClosed(reason);
    },
  });

  if (acquired) {
    log.info({ home: paths.configDir }, 'host started as primary');
    await becomePrimary(acquired);
  } else {
    primaryPid = await findPrimaryPid();
    log.warn({ primaryPid }, 'another host is running; staying secondary');
    broadcast('host', hostInfo());
    broadcast('registration', secondaryRegistration());
    scheduleTakeover();
  }

  return {
    closed,
    async stop() {
      if (stopping) return;
      stopping = true;
      if (takeoverTimer) clearTimeout(takeoverTimer);
      calls.terminateAll();
      await registration.stop();
      await control?.stop();
      await lock?.release();
      lock = undefined;
    },
  };
}
