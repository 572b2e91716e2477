import { connect, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/** The host process the launcher started. */
export interface StartedHost {
  /** Settles when that process ends: its exit code, or null when a signal ended it. */
  exited: Promise<number | null>;
}

/**
 * How long a launcher waits, at most, for the host it started. Only a safety net for a host that
 * hangs while starting: the wait ends as soon as the host listens, or when it dies. A fixed 5 s
 * was too short on a loaded machine, where starting Node and the host's bundle takes longer.
 * The extension's hello timeout (extension/background/native-port.ts) is longer than this.
 */
export const HOST_START_TIMEOUT_MS = 30_000;

export interface RelayOptions {
  socketPath: string;
  /** Starts the host in the background; called at most once, when nothing answers. */
  startHost(): StartedHost;
  input: Readable;
  output: Writable;
  /** The safety cap on waiting for a host that was just started (HOST_START_TIMEOUT_MS). */
  startTimeoutMs?: number;
  log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
}

/**
 * What the browser starts: a byte pipe between its stdio and the host's control socket, which
 * speaks the same framed protocol. The browser kills this process when its port closes (a worker
 * restart, the browser quitting); the host, started detached, keeps its calls and waits for the
 * next launcher. Resolves with the exit code.
 */
export async function runRelay(opts: RelayOptions): Promise<number> {
  const socket = await reachHost(opts);
  if (!socket) return 1;
  return new Promise<number>((resolve) => {
    opts.input.pipe(socket);
    socket.pipe(opts.output, { end: false });
    opts.input.on('end', () => socket.end());
    socket.on('error', (err) => opts.log.warn({ err: err.message }, 'host connection error'));
    socket.on('close', () => resolve(0));
  });
}

async function reachHost(opts: RelayOptions): Promise<Socket | undefined> {
  const first = await tryConnect(opts.socketPath);
  if (first.socket) return first.socket;
  opts.log.info({ code: first.code }, 'no host is running; starting one');
  const started = opts.startHost();
  // undefined while the started host runs. It exits 0 before listening only when another host
  // holds the lock (two launchers raced): that one will listen, so the wait goes on.
  let exit: number | null | undefined;
  void started.exited.then((code) => (exit = code));
  const t0 = Date.now();
  const deadline = t0 + (opts.startTimeoutMs ?? HOST_START_TIMEOUT_MS);
  let last = first.code;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    const attempt = await tryConnect(opts.socketPath);
    if (attempt.socket) {
      opts.log.info({ ms: Date.now() - t0 }, 'the host started');
      return attempt.socket;
    }
    last = attempt.code;
    if (exit !== undefined && exit !== 0) {
      opts.log.warn({ exitCode: exit, socketPath: opts.socketPath }, 'the host exited while starting');
      return undefined;
    }
  }
  opts.log.warn({ code: last, socketPath: opts.socketPath, ms: Date.now() - t0 }, 'the host did not start');
  return undefined;
}

function tryConnect(path: string): Promise<{ socket?: Socket; code?: string }> {
  return new Promise((resolve) => {
    const socket = connect(path);
    socket.once('connect', () => {
      socket.removeAllListeners('error');
      resolve({ socket });
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ code: err.code ?? err.message }));
  });
}
