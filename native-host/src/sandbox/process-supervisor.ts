import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync } from 'node:fs';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export interface ProcessSpec {
  command: string;
  args: string[];
  cwd: string;
  /** stdout and stderr both go here (truncated at start). */
  logFile: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * Starts a process that outlives the CLI: its own session and process group (so a terminal hang-up
 * does not reach it and `stop` can signal every process it forked), stdin from /dev/null, output to
 * its log file, and no handle keeping our event loop alive.
 */
export async function spawnDetached(spec: ProcessSpec): Promise<number> {
  const fd = openSync(spec.logFile, 'w', 0o600);
  try {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', fd, fd],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', reject);
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`${spec.command} did not start`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

interface ProcInfo {
  pid: number;
  state: string;
  pgrp: number;
}

const hasProc = process.platform === 'linux';

function readStat(pid: number): ProcInfo | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may itself contain spaces or ')': split after the last one.
    const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { pid, state: rest[0] ?? '?', pgrp: Number(rest[2]) };
  } catch {
    return undefined;
  }
}

function readArgv(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function signalAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * True when `pid` runs and is the process we started: on Linux its argv must contain `marker`
 * (a path inside the sandbox folder), so a pid recycled after a reboot is never mistaken for ours,
 * and a zombie counts as dead. Elsewhere only the pid is checked.
 */
export function isOurs(pid: number | null | undefined, marker: string): boolean {
  if (!pid || pid <= 0) return false;
  if (!hasProc) return signalAlive(pid);
  const stat = readStat(pid);
  if (!stat || stat.state === 'Z' || stat.state === 'X') return false;
  return readArgv(pid).includes(marker);
}

/** Live processes whose argv contains `marker` (Linux only; elsewhere an empty list). */
export function findByMarker(marker: string): number[] {
  if (!hasProc) return [];
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (pid === process.pid) continue;
    if (isOurs(pid, marker)) out.push(pid);
  }
  return out;
}

/** Our processes still alive in the group led by `pgid` (the leader may already be gone). */
function members(pgid: number, marker: string): number[] {
  if (!hasProc) return signalAlive(pgid) ? [pgid] : [];
  return findByMarker(marker).filter((pid) => readStat(pid)?.pgrp === pgid || pid === pgid);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

export interface TerminateOptions {
  /** How long SIGTERM gets before SIGKILL. baresip 1.0 may ignore SIGTERM (e.g. while it waits to unregister). */
  graceMs?: number;
  /** How long to wait for SIGKILL to take effect. */
  killWaitMs?: number;
}

/**
 * Stops a process started by spawnDetached and everything it forked (Kamailio's workers live on if
 * only the main process dies): SIGTERM to the group, then SIGKILL to the group and any straggler.
 * Resolves once none is left; throws if something survives SIGKILL.
 */
export async function terminate(pgid: number, marker: string, opts: TerminateOptions = {}): Promise<void> {
  const grace = opts.graceMs ?? 1500;
  const killWait = opts.killWaitMs ?? 2000;
  if (members(pgid, marker).length === 0) return;
  signal(-pgid, 'SIGTERM');
  const termDeadline = Date.now() + grace;
  while (Date.now() < termDeadline) {
    await sleep(25);
    if (members(pgid, marker).length === 0) return;
  }
  signal(-pgid, 'SIGKILL');
  for (const pid of members(pgid, marker)) signal(pid, 'SIGKILL');
  const killDeadline = Date.now() + killWait;
  while (Date.now() < killDeadline) {
    await sleep(25);
    if (members(pgid, marker).length === 0) return;
  }
  throw new Error(`process group ${pgid} (${marker}) survived SIGKILL`);
}

/** SIGKILLs every live process whose argv contains `marker`: strays of a run whose pids were lost. */
export async function killStrays(marker: string): Promise<number[]> {
  const found = findByMarker(marker);
  for (const pid of found) signal(pid, 'SIGKILL');
  const deadline = Date.now() + 2000;
  while (Date.now() < deadline && findByMarker(marker).length > 0) await sleep(25);
  return found;
}
