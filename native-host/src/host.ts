import { APP_VERSION } from '../../shared/app-version';
import { ErrorCode, ProtocolError } from '../../shared/protocol';
import { defaultSettings, sectionOf } from '../../shared/settings';
import { startAccount } from './account/account-capability';
import { startDirectory, type Directory } from './directory/directory-capability';
import { startControlServer, type ControlServer } from './control/control-server';
import { startHistoryCapability, type HistoryCapability } from './history/history-capability';
import { startHotkeys } from './hotkeys/hotkeys-capability';
import { lockName, tryAcquireLock } from './instance/single-instance';
import { startIntegraCapability } from './integra/integra-capability';
import type { Logger } from './log';
import type { Handlers } from './messaging/rpc-session';
import { SessionHub } from './sessions/session-hub';
import { ManagedPolicies } from './settings/managed-policies';
import { browserPolicyFile, controlSocketPath, settingsFile, type HostPaths } from './settings/paths';
import { startSettings } from './settings/settings-capability';
import { SettingsService } from './settings/settings-service';
import { SettingsStore } from './settings/settings-store';
import { startSip } from './sip/sip-capability';
import { startColleagues } from './presence/colleagues-capability';
import { startVoicemail } from './presence/voicemail-capability';

export interface HostDeps {
  paths: HostPaths;
  log: Logger;
  platform: NodeJS.Platform;
  uid: number | undefined;
  /** The administrator's system settings file (paths.ts systemSettingsFile); none when undefined. */
  systemSettings?: string;
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
 * The composition of the host's capabilities (each `start(deps) → {handlers, events, stop}`) and
 * of its sessions (sessions/session-hub.ts: roles, attach and detach, the idle and orphan timers).
 * One host per user and home (the instance lock); the browser reaches it through the launcher the
 * browser started (native-host/src/launcher/), the CLI through the same control socket. The host
 * outlives a browser connection while calls are up, so a worker restart never drops a call.
 */
export async function startHost(deps: HostDeps): Promise<Host> {
  const { paths, log, platform, uid } = deps;
  const managed = deps.systemSettings !== undefined ? new ManagedPolicies({ system: deps.systemSettings, browser: browserPolicyFile(paths) }, log) : undefined;
  const service = new SettingsService(new SettingsStore(settingsFile(paths)), managed, (problem) => log.warn({ problem }, 'managed settings not applied'));
  const preferences = () => sectionOf(service.peek() ?? defaultSettings(), 'preferences');
  let resolveClosed!: (reason: string) => void;
  const closed = new Promise<string>((r) => (resolveClosed = r));
  let handlers: Handlers | undefined;
  let history: HistoryCapability | undefined;
  let directory: Directory | undefined;

  const hub: SessionHub = new SessionHub({
    app: APP_VERSION,
    log,
    home: paths.configDir,
    idleExitMs: deps.idleExitMs ?? 3_000,
    orphanCallsMs: deps.orphanCallsMs ?? 30_000,
    handlers: () => {
      if (!handlers) throw new Error('the host is not started');
      return handlers;
    },
    registration: () => sip.registration.snapshot(),
    hotkeys: () => hotkeys.status,
    calls: () => sip.calls.list(),
    opened: (session) => sip.listen(session),
    adoptMedia: (browser) => sip.adoptMedia(browser),
    orphaned: () => sip.failAllMedia(),
    idle: (reason) => resolveClosed(reason),
  });
  const broadcast = hub.broadcast.bind(hub);
  const browser = () => hub.browser;

  const settings = startSettings({ service, broadcast });
  const sip = startSip({
    log,
    preferences,
    browser,
    broadcast,
    beforeAnnounce: (call) => {
      if (call.state === 'ended') setImmediate(() => hub.checkIdle());
      history?.record(call);
    },
    contactOf: (number) => directory?.local(number),
  });
  directory = startDirectory({ log, stateDir: paths.stateDir, settings: service, registration: sip.registration });
  directory.nameCalls(sip.calls);
  const integra = startIntegraCapability({ log, platform, settings: service, registration: sip.registration, calls: sip.calls, browser, broadcast });
  const hotkeys = startHotkeys({ log, platform, env: process.env, settings: service, preferences, calls: sip.calls, browser, broadcast });
  const account = startAccount({ settings: service, registration: sip.registration, calls: sip.calls, browser });
  const colleagues = startColleagues({ log, registration: sip.registration, calls: sip.calls, settings: service, preferences, broadcast });
  const voicemail = startVoicemail({ log, registration: sip.registration, calls: sip.calls, preferences, broadcast });

  const socketPath = controlSocketPath(paths, platform, uid ?? 0);
  const lock = await tryAcquireLock(lockName(paths.configDir, platform, uid ?? 0, `${socketPath}.lock`), platform !== 'linux' && platform !== 'win32');
  if (!lock) throw new ProtocolError(ErrorCode.ALREADY_RUNNING, 'another host is running for this user and home');
  log.info({ home: paths.configDir }, 'host started');
  history = startHistoryCapability({ stateDir: paths.stateDir, log, limit: preferences().historySize, settings: service, broadcast });
  handlers = {
    ...hub.coreHandlers(),
    ...settings.handlers,
    ...sip.handlers,
    ...account.handlers,
    ...history.handlers,
    ...integra.handlers,
    ...hotkeys.handlers,
    ...colleagues.handlers,
    ...voicemail.handlers,
    ...directory.handlers,
  };

  let control: ControlServer | undefined;
  try {
    control = await startControlServer(socketPath, platform, uid, (send) => hub.connect(send));
  } catch (err) {
    log.error({ err, socketPath }, 'control socket unavailable; the CLI cannot reach this host');
  }
  hub.broadcast('host', hub.hostInfo());
  try {
    const saved = await service.load();
    history.setLimit(preferences().historySize);
    sip.registration.setAccount(saved.account);
  } catch (err) {
    log.error({ err }, 'settings unreadable');
    broadcast('registration', { state: 'failed', since: Date.now(), cause: (err as Error).message });
  }
  hotkeys.applySaved();
  colleagues.applySaved();
  // Started by a launcher whose browser may never connect (it died at once): do not linger.
  hub.checkIdle();

  let stopping = false;
  return {
    closed,
    async stop() {
      if (stopping) return;
      stopping = true;
      hub.stop();
      colleagues.stop();
      voicemail.stop();
      await sip.stop();
      await integra.stop();
      await hotkeys.stop();
      await control?.stop();
      await account.stop();
      await settings.stop();
      await directory?.stop();
      await history?.stop();
      history = undefined;
      await lock.release();
    },
  };
}
