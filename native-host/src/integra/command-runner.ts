import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { homedir } from 'node:os';
import { cmdLine } from '../../../shared/integra';
import type { Logger } from '../log';

export interface CommandSpec {
  program: string;
  args: string[];
  /** A Windows .bat/.cmd: run by cmd.exe with the quoted line (values were whitelisted). */
  viaCmd: boolean;
}

export type CommandOutcome =
  | { result: 'ok' | 'failed'; exitCode: number | null; signal: string | null; startedAt: number; finishedAt: number }
  | { result: 'timeout'; exitCode: number | null; signal: string | null; startedAt: number; finishedAt: number }
  | { result: 'error'; message: string; startedAt?: number; finishedAt: number };

export interface CommandRunnerOptions {
  log: Logger;
  platform?: NodeJS.Platform;
  maxRunning?: number;
  maxQueued?: number;
  timeoutMs?: number;
  /** Captured output logged per stream. */
  maxOutputBytes?: number;
  cwd?: string;
  spawnImpl?: typeof spawn;
  now?: () => number;
}

/**
 * Spawn failures worth a second try: the process was never created (no 'spawn' event), so nothing
 * ran twice. UNKNOWN is what libuv reports for a CreateProcess refusal it cannot map (seen once in
 * ~200 runs under Wine; on Windows under memory or handle pressure); the others are resource limits.
 */
const TRANSIENT_SPAWN = new Set(['UNKNOWN', 'EAGAIN', 'EMFILE', 'ENFILE', 'ENOMEM']);
const SPAWN_RETRY_DELAYS_MS = [50, 250];

interface Job {
  spec: CommandSpec;
  label: Record<string, unknown>;
  onStart(at: number): void;
  resolve(outcome: CommandOutcome): void;
}

/**
 * Runs Integra commands without a shell and without ever blocking the host: at most `maxRunning`
 * at once (the rest wait in a bounded queue), each killed after `timeoutMs` (the whole process
 * group on POSIX), stdout/stderr captured into the log, every failure an outcome, never a throw.
 */
export class CommandRunner {
  private running = 0;
  private stopped = false;
  private readonly queue: Job[] = [];
  private readonly o: Required<Omit<CommandRunnerOptions, 'log'>> & { log: Logger };
  private readonly children = new Set<ChildProcess>();

  constructor(options: CommandRunnerOptions) {
    this.o = {
      platform: process.platform,
      maxRunning: 4,
      maxQueued: 100,
      timeoutMs: 15_000,
      maxOutputBytes: 4096,
      cwd: homedir(),
      spawnImpl: spawn,
      now: Date.now,
      ...options,
    };
  }

  run(spec: CommandSpec, label: Record<string, unknown>, onStart: (at: number) => void = () => undefined): Promise<CommandOutcome> {
    return new Promise((resolve) => {
      if (this.queue.length >= this.o.maxQueued) {
        this.o.log.warn({ ...label }, 'integra: command queue full, dropped');
        resolve({ result: 'error', message: 'too many commands waiting; dropped', finishedAt: this.o.now() });
        return;
      }
      this.queue.push({ spec, label, onStart, resolve });
      this.pump();
    });
  }

  /** Kills whatever still runs (host shutdown). */
  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    for (const child of this.children) this.kill(child, 'SIGKILL');
  }

  private pump(): void {
    while (this.running < this.o.maxRunning && this.queue.length) {
      const job = this.queue.shift()!;
      this.running++;
      this.start(job).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private start(job: Job, attempt = 0): Promise<void> {
    const { spec, label } = job;
    const windows = this.o.platform === 'win32';
    const [file, args, extra]: [string, string[], SpawnOptions] = spec.viaCmd
      ? [process.env.ComSpec ?? 'cmd.exe', ['/d', '/s', '/c', `"${cmdLine(spec.program, spec.args)}"`], { windowsVerbatimArguments: true }]
      : [spec.program, spec.args, {}];
    return new Promise<void>((done) => {
      let settled = false;
      const finish = (outcome: CommandOutcome) => {
        if (settled) return;
        settled = true;
        job.resolve(outcome);
        done();
      };
      let child: ChildProcess;
      const startedAt = this.o.now();
      try {
        child = this.o.spawnImpl(file, args, {
          shell: false,
          cwd: this.o.cwd,
          stdio: ['ignore', 'pipe', 'pipe'],
          windowsHide: true,
          // Its own process group, so a timeout also ends what the command started.
          detached: !windows,
          ...extra,
        });
      } catch (err) {
        this.o.log.warn({ ...label, err: (err as Error).message }, 'integra: command could not start');
        finish({ result: 'error', message: (err as Error).message.slice(0, 300), finishedAt: this.o.now() });
        return;
      }
      this.children.add(child);
      const output = { stdout: '', stderr: '' };
      for (const stream of ['stdout', 'stderr'] as const) {
        child[stream]?.setEncoding('utf8');
        child[stream]?.on('data', (d: string) => {
          if (output[stream].length < this.o.maxOutputBytes) output[stream] += d.slice(0, this.o.maxOutputBytes - output[stream].length);
        });
      }
      let timedOut = false;
      let killTimer: NodeJS.Timeout | undefined;
      const timer = setTimeout(() => {
        timedOut = true;
        this.kill(child, 'SIGTERM');
        killTimer = setTimeout(() => this.kill(child, 'SIGKILL'), 2000);
        killTimer.unref();
      }, this.o.timeoutMs);
      timer.unref();
      let spawned = false;
      child.once('spawn', () => {
        spawned = true;
        job.onStart(this.o.now());
      });
      child.once('error', (err: NodeJS.ErrnoException) => {
        clearTimeout(timer);
        this.children.delete(child);
        const delay = SPAWN_RETRY_DELAYS_MS[attempt];
        if (!spawned && delay !== undefined && TRANSIENT_SPAWN.has(err.code ?? '')) {
          this.o.log.warn({ ...label, err: err.message, attempt: attempt + 1 }, 'integra: command could not start; trying again');
          setTimeout(() => {
            if (this.stopped) finish({ result: 'error', message: 'host stopping', finishedAt: this.o.now() });
            else {
              settled = true;
              void this.start(job, attempt + 1).then(done);
            }
          }, delay);
          return;
        }
        this.o.log.warn({ ...label, err: err.message }, 'integra: command failed to run');
        finish({ result: 'error', message: err.message.slice(0, 300), startedAt, finishedAt: this.o.now() });
      });
      child.once('close', (code, signal) => {
        clearTimeout(timer);
        if (killTimer) clearTimeout(killTimer);
        this.children.delete(child);
        const finishedAt = this.o.now();
        const result = timedOut ? 'timeout' : code === 0 ? 'ok' : 'failed';
        this.o.log.info({ ...label, pid: child.pid, exitCode: code, signal, ms: finishedAt - startedAt, ...output }, `integra: command ${result}`);
        finish({ result, exitCode: code, signal, startedAt, finishedAt });
      });
    });
  }

  private kill(child: ChildProcess, signal: NodeJS.Signals): void {
    try {
      if (this.o.platform !== 'win32' && child.pid) process.kill(-child.pid, signal);
      else child.kill(signal);
    } catch {
      try {
        child.kill(signal);
      } catch {
        // Already gone.
      }
    }
  }
}
