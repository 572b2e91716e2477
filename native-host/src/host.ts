import { APP_VERSION } from '../../shared/app-version';
import { describeFailure, ErrorCode, ProtocolError, PROTOCOL_VERSION, type HostInfo, type Message } from '../../shared/protocol';
import { startControlServer, type ControlServer } from './control/control-server';
import { lockName, tryAcquireLock, type InstanceLock } from './instance/single-instance';
import type { Logger } from './log';
import { RpcSession, type Handlers, type SessionContext } from './messaging/rpc-session';
import { controlSocketPath, settingsFile, type HostPaths } from './settings/paths';
import { SettingsService } from './settings/settings-service';
import { SettingsStore } from './settings/settings-store';
import { defaultSettings, publicSettings, sectionOf } from '../../shared/settings';
import { startHistory, type HistoryService } from './history/history-service';
import { dialFormatOf } from './settings/dial-format';
import { createHotkeys } from './hotkeys';
import { AccountProposals } from './account/account-proposals';
import { BridgedPeerConnection } from './sip/bridged-peer-connection';
import { CallManager } from './sip/call-manager';
import { startIntegra } from './integra/integra';
import { runVoispeedCommand } from './commands/run-voispeed-command';
import { MediaEventRouter, type MediaBridge } from './sip/media-bridge';
import { startRegistration } from './sip/registration';
import { installWebRtcGlobals } from './sip/webrtc-globals';

export interface HostDeps {
  paths: HostPaths;
  log: Logger;
  platform: NodeJS.Platform;
  uid: number | undefined;
  /** With no browser and no call, how long the host waits for a browser before it exits. */
  idleExitMs?: number;
  /** With calls up and no browser, how long they wait for one before they are given up. */
  orphanCallsMs?: number;
}

export interface Host {
  /** Resolves when the host has nothing left to do: no browser and no call. */
  readonly closed: Promise<string>;
  stop(): Promise<void>;
}

/**
 * The composition of the host's capabilities. One host per user and home (the instance lock); the
 * browser reaches it through the launcher the browser started (native-host/src/launcher/), the
 * CLI through the same control socket. The first browser owns the media bridge and the calls;
 * another browser connected at the same time is secondary until the first one leaves. The host
 * outlives a browser connection while calls are up, so a worker restart never drops a call.
 */
export async function startHost(deps: HostDeps): Promise<Host> {
  const { paths, log, platform, uid } = deps;
  const started = Date.now();
  const settings = new SettingsService(new SettingsStore(settingsFile(paths)));
  const preferences = () => sectionOf(settings.peek() ?? defaultSettings(), 'preferences');
  // Opened by the primary only: two hosts must never append to (or repair) one journal.
  let history: HistoryService | undefined;
  const registration = startRegistration({ log, appVersion: APP_VERSION });
  const mediaRouter = new MediaEventRouter();
  // The browser session that owns the media bridge; undefined between browsers.
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
    dialFormat: () => dialFormatOf(preferences()),
    dnd: () => preferences().dnd,
    iceServers: () => [],
    ring: (on) => void bridge.request('media.ring', { on }).catch((err) => log.warn({ err }, 'ringtone')),
  });
  registration.onUa((ua) => calls.attach(ua));
  // Integra (native-host/src/integra/): commands and CRM tabs on call events.
  const integra = startIntegra({
    log,
    platform,
    settings: () => sectionOf(settings.peek() ?? defaultSettings(), 'integra'),
    aor: () => registration.account()?.uri,
    toBrowser: (event, data) => (browser ? (browser.push(event, data), true) : false),
    announce: (entry) => broadcast('integra.executed', entry),
  });
  calls.onSipFacts((facts) => integra.onSipFacts(facts));
  // System-wide hotkeys (native-host/src/hotkeys/): without an X server the host runs on without them.
  const hotkeys = createHotkeys({
    log,
    platform,
    env: process.env,
    defaultCountry: () => dialFormatOf(preferences()).defaultCountry,
    dial: (number) => calls.place({ number, source: 'hotkey' }),
    onStatus: (status) => broadcast('hotkeys', status),
    showPhone: (reason, callId) => browser?.push('phone.show', { reason, ...(callId ? { callId } : {}) }),
    notDialable: (data) => browser?.push('hotkeys.not-dialable', data),
  });
  const sessions = new Set<RpcSession>();
  const socketPath = controlSocketPath(paths, platform, uid ?? 0);
  const lockId = lockName(paths.configDir, platform, uid ?? 0, `${socketPath}.lock`);
  let lock: InstanceLock | undefined;
  let control: ControlServer | undefined;
  let stopping = false;
  let idleTimer: NodeJS.Timeout | undefined;
  let orphanTimer: NodeJS.Timeout | undefined;

  /** A browser connected while another one owns the calls is secondary; the CLI never is. */
  const roleOf = (s?: SessionContext): 'primary' | 'secondary' =>
    s && s.client === 'extension' && browser !== undefined && browser !== s ? 'secondary' : 'primary';
  const hostInfo = (s?: SessionContext): HostInfo => ({
    pid: process.pid,
    app: APP_VERSION,
    protocol: PROTOCOL_VERSION,
    role: roleOf(s),
    ...(roleOf(s) === 'secondary' ? { primaryPid: process.pid } : {}),
    uptimeMs: Date.now() - started,
    home: paths.configDir,
  });
  // The host and registration pushes depend on who receives them.
  const broadcast = (event: string, data: unknown) => {
    for (const s of sessions) {
      if (event === 'host') s.push(event, hostInfo(s));
      else if (event === 'registration' && roleOf(s) === 'secondary') s.push(event, secondaryRegistration());
      else s.push(event, data);
    }
  };

  async function loadAccount() {
    return (await settings.load()).account;
  }

  const secondaryRegistration = () => ({
    state: 'unregistered' as const,
    since: Date.now(),
    code: ErrorCode.ALREADY_RUNNING,
    cause: `Already running: another browser${browser?.browser ? ` (${browser.browser})` : ''} uses this VOIspeed UI (pid ${process.pid})`,
  });
  const registrationNow = (s?: SessionContext) => (roleOf(s) === 'secondary' ? secondaryRegistration() : registration.snapshot());

  const handlers: Handlers = {
    status: (params, ctx) => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (params?.gc && gc) gc();
      const { rss, heapUsed, heapTotal } = process.memoryUsage();
      return { host: { ...hostInfo(ctx), memory: { rss, heapUsed, heapTotal } }, registration: registrationNow(ctx) };
    },
    ping: (params) => (params?.t === undefined ? {} : { t: params.t }),
    'account.register': async () => {
      const account = await loadAccount();
      if (!account) throw new ProtocolError(ErrorCode.NO_ACCOUNT, 'no SIP account is configured');
      registration.setAccount(account);
      return registration.snapshot();
    },
    'account.unregister': () => registration.unregister(),
    // voispeed:U (account/account-proposals.ts): proposals from the CLI or a page link; only the
    // browser that owns the UI may apply or cancel one, after the user confirmed it there.
    'account.propose': async (p) => {
      if (!browser) throw new ProtocolError(ErrorCode.DISCONNECTED, 'no browser with the VOIspeed extension is connected to confirm the new account');
      return { proposal: await proposals.propose(p) };
    },
    'account.proposals': () => ({ proposals: proposals.list() }),
    'account.apply': (p, ctx) => {
      if (ctx !== browser) throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'a new account is applied only from the confirmation page in the browser');
      return proposals.apply(p.id);
    },
    'account.cancel': (p, ctx) => {
      if (ctx !== browser) throw new ProtocolError(ErrorCode.INVALID_REQUEST, 'a new account is cancelled only from the confirmation page in the browser');
      return { proposal: proposals.cancel(p.id) };
    },
    'call.dial': async (p) => {
      // Checked first so no call is created (nor journalled) that cannot have audio.
      if (!browser) throw new ProtocolError(ErrorCode.DISCONNECTED, describeFailure({ reason: 'no-browser' }));
      return { call: await calls.place(p) };
    },
    'call.answer': (p) => ({ call: calls.answer(p.id) }),
    'call.decline': (p) => ({ call: calls.decline(p.id) }),
    'call.hangup': (p) => ({ call: calls.hangup(p?.id) }),
    'call.hold': (p) => ({ call: calls.hold(p.id, p.hold) }),
    'call.mute': (p) => ({ call: calls.mute(p.id, p.mute) }),
    'call.dtmf': (p) => ({ call: calls.dtmf(p.id, p.tones) }),
    'call.transfer': async (p) => ({ call: await calls.transfer(p.target, p.id) }),
    'call.list': () => ({ calls: calls.list() }),
    'voispeed.run': (p, ctx) => runVoispeedCommand(p, ctx, handlers),
    'settings.get': async () => ({ settings: publicSettings(await settings.get()) }),
    'settings.set': async (p) => ({ settings: publicSettings(await settings.set(p.section, p.value)) }),
    'history.list': (p) => journal().list(p?.limit ?? 200, p?.before),
    'history.export': (p) => journal().exportPart(p?.after),
    'history.markSeen': (p) => journal().markSeen(p?.upTo),
    'hotkeys.status': () => hotkeys.status,
    'hotkeys.trigger': (p) => hotkeys.trigger(p.action, 'cli'),
    'integra.test': (p) => integra.test(p),
    'integra.log': () => integra.log(),
  };

  function journal(): HistoryService {
    if (!history) throw new ProtocolError(ErrorCode.INTERNAL, 'the call history is not open yet');
    return history;
  }

  function newSession(send: (m: Message) => void): RpcSession {
    const session: RpcSession = new RpcSession({
      app: APP_VERSION,
      handlers: guarded,
      role: () => roleOf(session),
      send,
      log,
      onGreet: (s) => {
        if (s.client === 'extension' && !browser) attachBrowser(session);
      },
      onHello: (s) => {
        s.push('host', hostInfo(s));
        s.push('registration', registrationNow(s));
        s.push('hotkeys', hotkeys.status);
        if (s === browser) adoptMedia(session);
      },
      onEvent: (event, data, ctx) => {
        if (event === 'media.pc' && ctx === browser) mediaRouter.dispatch(data as Parameters<MediaEventRouter['dispatch']>[0]);
        if (event === 'integra.opened' && ctx === browser) integra.onOpened(data as Parameters<typeof integra.onOpened>[0]);
      },
    });
    sessions.add(session);
    return session;
  }

  /** What a secondary browser may still do: look, never act. */
  const READ_ONLY = new Set(['status', 'ping', 'settings.get']);
  const guarded = Object.fromEntries(
    Object.entries(handlers).map(([method, handler]) => [
      method,
      (params: unknown, ctx: SessionContext) => {
        if (roleOf(ctx) === 'secondary' && !READ_ONLY.has(method)) {
          if (method === 'call.list') return { calls: [] };
          throw new ProtocolError(ErrorCode.ALREADY_RUNNING, secondaryRegistration().cause);
        }
        return (handler as (p: unknown, c: SessionContext) => unknown)(params, ctx);
      },
    ]),
  ) as unknown as Handlers;

  function attachBrowser(s: RpcSession): void {
    browser = s;
    if (idleTimer) clearTimeout(idleTimer);
    if (orphanTimer) clearTimeout(orphanTimer);
    idleTimer = orphanTimer = undefined;
    log.info({ browser: s.browser, calls: calls.list().length }, 'browser attached');
  }

  /** A (re)attached browser learns which peer connections are still ours, and whether to ring. */
  function adoptMedia(s: RpcSession): void {
    s.request('media.retain', { pcIds: mediaRouter.livePcIds() }).then(
      (r) => log.info(r, 'media adopted'),
      (err: unknown) => log.warn({ err }, 'media.retain failed'),
    );
    if (calls.list().some((c) => c.state === 'ringing-in')) {
      s.request('media.ring', { on: true }).catch((err: unknown) => log.warn({ err }, 'ringtone'));
    }
  }

  function detachBrowser(s: RpcSession): void {
    if (browser !== s) return;
    browser = undefined;
    const next = [...sessions].find((x) => x.client === 'extension' && x.isGreeted);
    if (next) {
      attachBrowser(next);
      next.push('host', hostInfo(next));
      next.push('registration', registrationNow(next));
      adoptMedia(next);
      return;
    }
    const live = calls.list().length;
    log.info({ calls: live }, 'browser detached');
    if (live > 0) {
      // A worker restart comes back within seconds; a browser that is gone does not.
      orphanTimer = setTimeout(() => {
        orphanTimer = undefined;
        if (!browser) mediaRouter.failAll();
      }, deps.orphanCallsMs ?? 30_000);
    }
    checkIdle();
  }

  function checkIdle(): void {
    if (browser || stopping || idleTimer || calls.list().some((c) => c.state !== 'ended')) return;
    idleTimer = setTimeout(() => {
      idleTimer = undefined;
      if (!browser && !calls.list().some((c) => c.state !== 'ended')) resolveClosed('no browser and no call');
    }, deps.idleExitMs ?? 3_000);
  }

  registration.onChange((r) => {
    broadcast('registration', r);
  });
  calls.onChange((call) => {
    if (call.state === 'ended') setImmediate(checkIdle);
    // Journalled (and fsync'd) before anyone hears the call ended, so what a client shows is on disk.
    history?.onCall(call);
    broadcast('call', call);
  });
  calls.onChange((call) => integra.onCall(call));
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
    if (changed === 'account' && !(adopted !== undefined && JSON.stringify(next.account) === adopted)) registration.setAccount(next.account);
    if (changed === 'preferences') history?.setLimit(sectionOf(next, 'preferences').historySize);
    if (changed === 'hotkeys') void hotkeys.apply(sectionOf(next, 'hotkeys'));
  });

  async function becomePrimary(acquired: InstanceLock): Promise<void> {
    lock = acquired;
    history ??= startHistory({ stateDir: paths.stateDir, log, limit: preferences().historySize, announce: (d) => broadcast('history', d) });
    try {
      control = await startControlServer(socketPath, platform, uid, (send) => {
        const s = newSession(send as (m: Message) => void);
        return {
          onMessage: (v) => void s.handle(v),
          onBadFrame: (code, message) => s.badFrame(code, message),
          onClose: () => {
            sessions.delete(s);
            s.close();
            detachBrowser(s);
          },
        };
      });
    } catch (err) {
      log.error({ err, socketPath }, 'control socket unavailable; the CLI cannot reach this host');
    }
    broadcast('host', hostInfo());
    try {
      const account = await loadAccount();
      history.setLimit(preferences().historySize);
      registration.setAccount(account);
    } catch (err) {
      log.error({ err }, 'settings unreadable');
      broadcast('registration', { state: 'failed', since: Date.now(), cause: (err as Error).message });
    }
    void hotkeys.apply(sectionOf(settings.peek() ?? defaultSettings(), 'hotkeys'));
  }

  let resolveClosed!: (reason: string) => void;
  const closed = new Promise<string>((r) => (resolveClosed = r));

  const acquired = await tryAcquireLock(lockId, platform !== 'linux' && platform !== 'win32');
  if (!acquired) throw new ProtocolError(ErrorCode.ALREADY_RUNNING, 'another host is running for this user and home');
  log.info({ home: paths.configDir }, 'host started');
  await becomePrimary(acquired);
  // Started by a launcher whose browser may never connect (it died at once): do not linger.
  checkIdle();

  return {
    closed,
    async stop() {
      if (stopping) return;
      stopping = true;
      if (idleTimer) clearTimeout(idleTimer);
      if (orphanTimer) clearTimeout(orphanTimer);
      calls.terminateAll();
      integra.stop();
      await hotkeys.stop();
      await registration.stop();
      await control?.stop();
      history?.stop();
      history = undefined;
      await lock?.release();
      lock = undefined;
    },
  };
}
