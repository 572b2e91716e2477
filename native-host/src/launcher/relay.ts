import { connect, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

export interface RelayOptions {
  socketPath: string;
  /** Starts the host in the background; called at most once, when nothing answers. */
  startHost(): void;
  input: Readable;
  output: Writable;
  /** How long to wait for a host that was just started. */
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
  opts.startHost();
  const deadline = Date.now() + (opts.startTimeoutMs ?? 5_000);
  let last = first.code;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
    const attempt = await tryConnect(opts.socketPath);
    if (attempt.socket) return attempt.socket;
    last = attempt.code;
  }
  opts.log.warn({ code: last, socketPath: opts.socketPath }, 'the host did not start');
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
