import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { baresipAccounts, baresipConfig, baresipLaunch } from './baresip-config';
import { findBinaries, type SandboxBinaries } from './binaries';
import { lockHeld, withDirLock } from './dir-lock';
import { kamailioClassicConfig, kamailioTlsConfig } from './kamailio-classic';
import { kamailioConfig, kamailioLaunch } from './kamailio-config';
import { preparePresenceDb } from './kamailio-presence';
import { mediaClaims } from './media-claims';
import { allocateClassicPorts, allocatePorts, LOOPBACK, mediaRanges, type PortRange } from './ports';
import { isOurs, killStrays, spawnDetached, terminate } from './process-supervisor';
import { rtpenginePing, sipOptions, tcpAccepts, waitFor } from './probes';
import { rtpengineLaunch } from './rtpengine';
import { describeAnyStatus, type AnySandboxStatus, type ClassicSandboxStatus } from './status-classic';
import {
  PROCESS_NAMES,
  readPreviousPasswords,
  readStatusFile,
  writeStatusFile,
  type AnyStatusFile,
  type ProcessName,
  type SandboxProfile,
  type SandboxStatus,
} from './status-file';
import { ensureTlsFiles } from './tls-certs';
import { BOT_PROFILES, BOT_USERS, SANDBOX_DOMAIN, botRecordingsDir, ensurePasswords, type BotUser } from './users';

export interface StartOptions {
  /** The sandbox folder (configs, logs, status.json, recordings). Created 0700 if missing. */
  dir: string;
  /** Progress lines, e.g. `(m) => logger.info(m)`. */
  log?: (message: string) => void;
  /** Overall deadline for every process to be up and the bots registered. */
  timeoutMs?: number;
  binaries?: Partial<SandboxBinaries>;
  /** PATH for finding the programs and the environment they run with; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
  /**
   * `ws` (default): SIP over WebSocket with rtpengine for WebRTC media. `classic`: SIP over UDP,
   * TCP and TLS (certificates made in `<dir>/tls/`), no rtpengine, bots speaking plain G.711 RTP.
   */
  profile?: SandboxProfile;
  /**
   * Classic profile only: the IPv4 address every process binds instead of 127.0.0.1, e.g. a veth
   * address in a test's PBX namespace, so a client in another namespace (behind a NAT) can reach it.
   */
  address?: string;
}

const TAIL_LINES = 15;

/** Paths inside the sandbox folder; every one is absolute, so argv markers are unambiguous. */
function layout(dir: string) {
  return {
    runDir: join(dir, 'run'),
    recordingsDir: join(dir, 'recordings'),
    kamailioCfg: join(dir, 'kamailio.cfg'),
    kamailioPid: join(dir, 'run', 'kamailio.pid'),
    rtpenginePid: join(dir, 'run', 'rtpengine.pid'),
    botDir: (user: BotUser) => join(dir, `baresip-${user}`),
    log: (name: ProcessName) => join(dir, `${name}.log`),
  };
}

/** Every argv marker this folder's processes can carry: found even when status.json is lost. */
function allMarkers(dir: string): string[] {
  const l = layout(dir);
  return [l.kamailioCfg, `--pidfile=${l.rtpenginePid}`, ...BOT_USERS.map((u) => l.botDir(u))];
}

/** Either profile's recorded processes, by name (the classic profile simply has no rtpengine). */
const records = (file: AnyStatusFile) => file.processes as Partial<Record<ProcessName, { pid: number; marker: string }>>;

const aliveCheck = (_name: ProcessName, rec: { pid: number; marker: string }): boolean => isOurs(rec.pid, rec.marker);

/** The sandbox as status.json describes it, `running` only when every recorded process is alive. */
export async function readSandboxStatus(dir: string): Promise<AnySandboxStatus | undefined> {
  const file = await readStatusFile(resolve(dir));
  return file ? describeAnyStatus(file, aliveCheck) : undefined;
}

/**
 * Starts rtpengine, Kamailio and the bots, and resolves once Kamailio accepts WebSocket connections
 * and both bots answer an OPTIONS routed through Kamailio (so they are registered). Idempotent: a
 * running sandbox is returned as is. On failure everything started is stopped again.
 */
/** Why the sandbox did not start; `portTaken` when a program found one of its ports taken (worth a retry). */
export class SandboxStartError extends Error {
  constructor(
    message: string,
    readonly portTaken: boolean,
  ) {
    super(message);
    this.name = 'SandboxStartError';
  }
}

/**
 * Ports are probed free, then bound by the programs a moment later; another process (baresip's
 * resolver binds random UDP ports) can take one in between. That race is retried with fresh ports.
 */
export function startSandbox(opts: StartOptions & { profile: 'classic' }): Promise<ClassicSandboxStatus>;
export function startSandbox(opts: StartOptions & { profile?: 'ws' }): Promise<SandboxStatus>;
export function startSandbox(opts: StartOptions): Promise<AnySandboxStatus>;
export async function startSandbox(opts: StartOptions): Promise<AnySandboxStatus> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startSandboxOnce(opts, attempt > 1);
    } catch (err) {
      if (attempt >= 3 || !(err instanceof SandboxStartError && err.portTaken)) throw err;
      (opts.log ?? (() => undefined))(`a port was taken meanwhile; retrying (attempt ${attempt + 1})`);
    }
  }
}

async function startSandboxOnce(opts: StartOptions, freshPorts: boolean): Promise<AnySandboxStatus> {
  const dir = resolve(opts.dir);
  const log = opts.log ?? (() => undefined);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const profile: SandboxProfile = opts.profile ?? 'ws';
  if (opts.address !== undefined && profile !== 'classic') throw new SandboxStartError('sandbox start failed: --address needs the classic profile', false);
  const address = opts.address ?? LOOPBACK;
  return withDirLock(dir, async () => {
    const previous = await readStatusFile(dir);
    const previousAddress = previous?.profile === 'classic' ? (previous.address ?? LOOPBACK) : LOOPBACK;
    const sameProfile = (previous?.profile ?? 'ws') === profile && previousAddress === address;
    if (previous) {
      const status = describeAnyStatus(previous, aliveCheck);
      if (status.running && sameProfile) {
        log(`sandbox already running in ${dir}`);
        return status;
      }
      if (status.running) log(`restarting the sandbox in ${dir} as the ${profile} profile on ${address}`);
      // Half a sandbox (one process crashed) is restarted whole rather than patched.
      await stopProcesses(previous, log);
    }
    await stopStrays(dir, log);
    const env = opts.env ?? process.env;
    const binaries = await findBinaries(opts.binaries, env);
    const started = Date.now();
    const deadline = started + (opts.timeoutMs ?? 15_000);
    const l = layout(dir);
    await mkdir(l.runDir, { recursive: true, mode: 0o700 });
    await mkdir(l.recordingsDir, { recursive: true, mode: 0o700 });

    const passwords = ensurePasswords(previous?.passwords ?? (await readPreviousPasswords(dir)));
    const common = { version: 1 as const, dir, domain: SANDBOX_DOMAIN, startedAt: new Date().toISOString(), passwords, processes: {} };
    const reuse = previous && sameProfile && !freshPorts;
    // Our processes are stopped: the media blocks we recorded are free until we claim one again.
    const claims = mediaClaims({ owner: dir, inUse: mediaInUse });
    await claims.releaseAll();
    const claim = claims.claim;
    let file: AnyStatusFile;
    if (profile === 'classic') {
      const ports = await allocateClassicPorts({ host: address, claim, ...(reuse && previous.profile === 'classic' ? { previous: previous.ports } : {}) });
      file = { ...common, profile: 'classic', ...(address === LOOPBACK ? {} : { address }), ports };
      const tls = await ensureTlsFiles(dir, SANDBOX_DOMAIN, { address });
      const presenceDb = await preparePresenceDb(dir);
      await writeFile(l.kamailioCfg, kamailioClassicConfig({ domain: SANDBOX_DOMAIN, ports, passwords, address, presenceDb }), { mode: 0o600 });
      await writeFile(join(dir, 'tls.cfg'), kamailioTlsConfig(dir, ports, tls, address), { mode: 0o600 });
    } else {
      const ports = await allocatePorts({ claim, ...(reuse && previous.profile !== 'classic' ? { previous: previous.ports } : {}) });
      file = { ...common, profile: 'ws', ports };
      const presenceDb = await preparePresenceDb(dir);
      await writeFile(l.kamailioCfg, kamailioConfig({ domain: SANDBOX_DOMAIN, ports, passwords, presenceDb }), { mode: 0o600 });
    }
    const ports = file.ports;
    for (const user of BOT_USERS) {
      const botDir = l.botDir(user);
      await mkdir(botDir, { recursive: true, mode: 0o700 });
      if (BOT_PROFILES[user].records) await mkdir(botRecordingsDir(l.recordingsDir, user), { recursive: true, mode: 0o700 });
      const input = {
        user,
        password: passwords[user],
        domain: SANDBOX_DOMAIN,
        ports: ports.baresip[user],
        kamailioUdp: ports.kamailioUdp,
        modulePath: binaries.baresipModules,
        // Relative: the bots run in the sandbox folder (spawnDetached cwd), whose path may hold a space.
        recordingsDir: relative(dir, l.recordingsDir),
        profile,
        address,
      };
      await writeFile(join(botDir, 'config'), baresipConfig(input), { mode: 0o600 });
      await writeFile(join(botDir, 'accounts'), baresipAccounts(input), { mode: 0o600 });
    }
    await writeStatusFile(dir, file);

    // Every pid is recorded the moment it exists, so a crash half-way still leaves `stop` a full list.
    const launch = async (name: ProcessName, command: string, args: string[], marker: string) => {
      const pid = await spawnDetached({ command, args, cwd: dir, logFile: l.log(name), env });
      records(file)[name] = { pid, marker };
      await writeStatusFile(dir, file);
      log(`${name} started (pid ${pid})`);
    };
    // While waiting, a process that died is reported at once with its log, not after the timeout.
    let waitingOn: ProcessName = 'rtpengine';
    const ready = async (what: string, name: ProcessName, check: () => Promise<boolean>) => {
      waitingOn = name;
      await waitFor(
        what,
        async () => {
          const rec = records(file)[name];
          if (rec && !isOurs(rec.pid, rec.marker)) throw new Error(`${name} exited during start-up`);
          return check();
        },
        deadline,
        30,
      );
    };

    try {
      if (file.profile !== 'classic') {
        const wsPorts = file.ports;
        // rtpengine first: Kamailio pings it once at start and would otherwise disable it for a while.
        const rtp = rtpengineLaunch(wsPorts, l.rtpenginePid);
        await launch('rtpengine', binaries.rtpengine, rtp.args, rtp.marker);
        await ready('rtpengine to answer ng pings', 'rtpengine', () => rtpenginePing(wsPorts.rtpengineNg));
      }
      waitingOn = 'kamailio';
      const kam = kamailioLaunch(l.kamailioCfg, l.runDir, l.kamailioPid);
      await launch('kamailio', binaries.kamailio, kam.args, kam.marker);
      if (file.profile === 'classic') {
        const { kamailioTcp, kamailioTls, kamailioTlsUntrusted } = file.ports;
        await ready('Kamailio to accept TCP connections', 'kamailio', () => tcpAccepts(kamailioTcp, 200, address));
        await ready('Kamailio to accept TLS connections', 'kamailio', async () => (await tcpAccepts(kamailioTls, 200, address)) && tcpAccepts(kamailioTlsUntrusted, 200, address));
      } else {
        const wsPort = file.ports.kamailioWs;
        await ready('Kamailio to accept WebSocket connections', 'kamailio', () => tcpAccepts(wsPort, 200));
      }
      await ready('Kamailio to answer SIP over UDP', 'kamailio', async () => (await sipOptions(ports.kamailioUdp, '', SANDBOX_DOMAIN, 200, address)) === 200);

      for (const user of BOT_USERS) {
        const bot = baresipLaunch(l.botDir(user));
        await launch(`baresip-${user}`, binaries.baresip, bot.args, bot.marker);
      }
      for (const user of BOT_USERS) {
        const name: ProcessName = `baresip-${user}`;
        await ready(`bot ${user} to register`, name, async () => (await sipOptions(ports.kamailioUdp, user, SANDBOX_DOMAIN, 200, address)) === 200);
        await ready(`bot ${user} control socket`, name, () => tcpAccepts(ports.baresip[user].ctrl, 200, address));
      }
    } catch (err) {
      const culprit = await culpritLog(file, waitingOn);
      await stopProcesses(file, log).catch(() => undefined);
      await writeStatusFile(dir, { ...file, processes: {}, stoppedAt: new Date().toISOString() });
      const text = `${(err as Error).message}${culprit}`;
      // The one place a program's words are read: a port taken between probe and bind is retried.
      throw new SandboxStartError(`sandbox start failed: ${text}`, /Address already in use|EADDRINUSE/i.test(text));
    }
    log(`sandbox (${profile} profile) ready in ${Date.now() - started} ms`);
    return describeAnyStatus(file, aliveCheck);
  });
}

/** Stops every process of the sandbox in `dir` (bots first, while Kamailio can still take their un-REGISTER). */
export async function stopSandbox(dir: string, opts: { log?: (message: string) => void } = {}): Promise<void> {
  const abs = resolve(dir);
  const log = opts.log ?? (() => undefined);
  if (!(await stat(abs).catch(() => undefined))?.isDirectory()) {
    // Never started here (or the folder was deleted under running processes): nothing to lock.
    await stopStrays(abs, log);
    return;
  }
  await withDirLock(abs, async () => {
    const file = await readStatusFile(abs);
    if (file) {
      await stopProcesses(file, log);
      await writeStatusFile(abs, { ...file, processes: {}, stoppedAt: new Date().toISOString() });
    }
    await stopStrays(abs, log);
    await mediaClaims({ owner: abs, inUse: mediaInUse }).releaseAll();
  });
}

/**
 * Whether the sandbox in `owner` uses media ports of `range`: a start or stop running there is
 * about to decide its ports (so yes); otherwise only while it runs with a range that overlaps.
 */
async function mediaInUse(owner: string, range: PortRange): Promise<boolean> {
  if (await lockHeld(owner)) return true;
  const status = await readSandboxStatus(owner).catch(() => undefined);
  return !!status?.running && mediaRanges(status.ports).some((r) => r.min <= range.max && range.min <= r.max);
}

async function stopProcesses(file: AnyStatusFile, log: (m: string) => void): Promise<void> {
  const stopOne = async (name: ProcessName) => {
    const rec = records(file)[name];
    if (!rec) return;
    await terminate(rec.pid, rec.marker, { graceMs: name.startsWith('baresip') ? 1000 : 1500 });
    log(`${name} stopped (pid ${rec.pid})`);
  };
  const bots = PROCESS_NAMES.filter((n) => n.startsWith('baresip'));
  const rest = PROCESS_NAMES.filter((n) => !n.startsWith('baresip'));
  const results = [...(await Promise.allSettled(bots.map(stopOne))), ...(await Promise.allSettled(rest.map(stopOne)))];
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
}

async function stopStrays(dir: string, log: (m: string) => void): Promise<void> {
  for (const marker of allMarkers(dir)) {
    const killed = await killStrays(marker);
    if (killed.length) log(`killed stray processes ${killed.join(', ')} (${marker})`);
  }
}

/** The last lines of the log of the first process that died (or the one we waited for), for the error. */
async function culpritLog(file: AnyStatusFile, waitingOn: ProcessName): Promise<string> {
  const dead = PROCESS_NAMES.find((n) => {
    const rec = records(file)[n];
    return rec && !isOurs(rec.pid, rec.marker);
  });
  const name = dead ?? waitingOn;
  const path = join(file.dir, `${name}.log`);
  try {
    const lines = (await readFile(path, 'utf8')).trimEnd().split('\n').slice(-TAIL_LINES);
    return `\n--- last lines of ${path} ---\n${lines.join('\n')}`;
  } catch {
    return '';
  }
}
