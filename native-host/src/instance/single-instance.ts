import { connect, createServer, type Server } from 'node:net';
import { createHash, randomBytes } from 'node:crypto';
import { rename, unlink } from 'node:fs/promises';

/**
 * One host per user and home: the first to hold the lock owns the SIP account and the control
 * socket. On Linux the lock is an abstract-namespace socket, which the kernel releases when the
 * process dies (no stale lock after kill -9). Elsewhere it is a socket/pipe at a path; a stale one is
 * detected by a failed connect and removed.
 */
export interface InstanceLock {
  release(): Promise<void>;
}

export function lockName(key: string, platform: NodeJS.Platform, uid: number, lockPath: string): string {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 20);
  if (platform === 'linux') return `\0voispeed-${uid}-${digest}`;
  if (platform === 'win32') return `\\\\.\\pipe\\voispeed-lock-${uid}-${digest}`;
  return lockPath;
}

function listen(server: Server, name: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(err);
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(name);
  });
}

function isAlive(name: string): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(name);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

/** Resolves to the lock, or undefined when another live process holds it. */
export async function tryAcquireLock(name: string, isPath: boolean): Promise<InstanceLock | undefined> {
  const server = createServer((socket) => socket.destroy());
  server.unref();
  try {
    await listen(server, name);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    if (!isPath || (await isAlive(name))) return undefined;
    // Move the stale file aside instead of unlinking it by name: rename is atomic, so when several
    // hosts find it stale at once only one gets it, and one that moved a lock another host had just
    // taken (a socket keeps answering under its new name) puts it back and loses.
    const aside = `${name}.${process.pid}-${randomBytes(4).toString('hex')}.stale`;
    try {
      await rename(name, aside);
    } catch {
      return undefined;
    }
    if (await isAlive(aside)) {
      await rename(aside, name).catch(() => undefined);
      return undefined;
    }
    await unlink(aside).catch(() => undefined);
    try {
      await listen(server, name);
    } catch (err2) {
      if ((err2 as NodeJS.ErrnoException).code === 'EADDRINUSE') return undefined;
      throw err2;
    }
  }
  return {
    release: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
