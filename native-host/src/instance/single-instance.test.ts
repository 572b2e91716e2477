import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockName, tryAcquireLock, type InstanceLock } from './single-instance';

const linux = process.platform === 'linux';
const unix = process.platform !== 'win32';
const uid = typeof process.getuid === 'function' ? process.getuid() : 0;

const held: InstanceLock[] = [];
const children: ChildProcess[] = [];
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'voispeed-lock-'));
});
afterEach(async () => {
  for (const l of held.splice(0)) await l.release();
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

async function acquire(name: string, isPath: boolean): Promise<InstanceLock | undefined> {
  const lock = await tryAcquireLock(name, isPath);
  if (lock) held.push(lock);
  return lock;
}

async function release(lock: InstanceLock): Promise<void> {
  held.splice(held.indexOf(lock), 1);
  await lock.release();
}

/** Another process listening on `name` (hex-encoded: abstract names start with a NUL byte). */
async function holder(name: string): Promise<ChildProcess> {
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const name = Buffer.from(process.env.LOCK_NAME, 'hex').toString();
       require('node:net').createServer((s) => s.destroy()).listen(name, () => process.stdout.write('ready\\n'));`,
    ],
    { env: { ...process.env, LOCK_NAME: Buffer.from(name).toString('hex') }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`holder exited early (${code})`)));
  });
  return child;
}

async function killHard(child: ChildProcess): Promise<void> {
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

describe('lockName', () => {
  it('is an abstract socket on linux, a pipe on win32 and the given path elsewhere', () => {
    const l = lockName('/home/a/.config/voispeed', 'linux', 1000, '/run/x.lock');
    expect(l.startsWith('\0voispeed-1000-')).toBe(true);
    expect(lockName('/home/a/.config/voispeed', 'win32', 0, '/x').startsWith('\\\\.\\pipe\\voispeed-lock-0-')).toBe(true);
    expect(lockName('/home/a/.config/voispeed', 'darwin', 501, '/tmp/v/control.sock.lock')).toBe('/tmp/v/control.sock.lock');
  });

  it('depends on the key and the user, and is stable', () => {
    const a = lockName('/home/a', 'linux', 1000, '');
    expect(lockName('/home/a', 'linux', 1000, '')).toBe(a);
    expect(lockName('/home/b', 'linux', 1000, '')).not.toBe(a);
    expect(lockName('/home/a', 'linux', 1001, '')).not.toBe(a);
    expect(lockName('/home/a', 'win32', 0, '')).not.toBe(lockName('/home/b', 'win32', 0, ''));
  });
});

describe.runIf(linux)('tryAcquireLock: abstract socket (linux)', () => {
  const fresh = () => lockName(`test-${randomUUID()}`, 'linux', uid, '');

  it('the first acquire wins, the second gets undefined, and after release a new one wins', async () => {
    const name = fresh();
    const first = await acquire(name, false);
    expect(first).toBeDefined();
    expect(await acquire(name, false)).toBeUndefined();
    await release(first!);
    expect(await acquire(name, false)).toBeDefined();
  });

  it('different keys do not block each other', async () => {
    expect(await acquire(fresh(), false)).toBeDefined();
    expect(await acquire(fresh(), false)).toBeDefined();
  });

  it('exactly one of two racing acquires wins (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const name = fresh();
      const results = await Promise.all([acquire(name, false), acquire(name, false)]);
      expect(results.filter(Boolean), `round ${round}`).toHaveLength(1);
      for (const l of results) if (l) await release(l);
    }
  });

  it('is refused while another process holds it, and free once that process is killed -9', async () => {
    const name = fresh();
    const child = await holder(name);
    expect(await acquire(name, false)).toBeUndefined();
    await killHard(child);
    expect(await acquire(name, false)).toBeDefined();
  });
});

describe.runIf(unix)('tryAcquireLock: socket at a path', () => {
  it('the first acquire wins, the second gets undefined, and after release a new one wins', async () => {
    const path = join(dir, 'host.lock');
    const first = await acquire(path, true);
    expect(first).toBeDefined();
    expect((await stat(path)).isSocket()).toBe(true);
    expect(await acquire(path, true)).toBeUndefined();
    await release(first!);
    expect(await acquire(path, true)).toBeDefined();
  });

  it('exactly one of two racing acquires wins (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const path = join(dir, `race-${round}.lock`);
      const results = await Promise.all([acquire(path, true), acquire(path, true)]);
      expect(results.filter(Boolean), `round ${round}`).toHaveLength(1);
      for (const l of results) if (l) await release(l);
    }
  });

  it('is refused while another live process holds it', async () => {
    const path = join(dir, 'held.lock');
    await holder(path);
    expect(await acquire(path, true)).toBeUndefined();
    // And the holder's socket is still there: a live lock is never unlinked.
    expect((await stat(path)).isSocket()).toBe(true);
  });

  it('recovers a stale socket file left by a process killed -9', async () => {
    const path = join(dir, 'stale.lock');
    const child = await holder(path);
    await killHard(child);
    // The kernel does not remove a unix socket's file: it is still there, with nobody listening.
    expect((await stat(path)).isSocket()).toBe(true);
    const lock = await acquire(path, true);
    expect(lock).toBeDefined();
    // It is ours now: a second acquire is refused.
    expect(await acquire(path, true)).toBeUndefined();
    expect(await readdir(dir)).toEqual(['stale.lock']);
  });

  it('recovers a leftover plain file at the lock path', async () => {
    const path = join(dir, 'plain.lock');
    await writeFile(path, 'junk');
    expect(await acquire(path, true)).toBeDefined();
  });

  it('exactly one of two acquires racing over a stale file wins (20 rounds)', async () => {
    for (let round = 0; round < 20; round++) {
      const path = join(dir, `stale-race-${round}.lock`);
      await writeFile(path, 'stale');
      const results = await Promise.all([acquire(path, true), acquire(path, true)]);
      expect(results.filter(Boolean), `round ${round}`).toHaveLength(1);
      for (const l of results) if (l) await release(l);
    }
    // Nothing moved aside is left behind.
    expect((await readdir(dir)).filter((f) => f.endsWith('.stale'))).toEqual([]);
  });

  it('reports an error that is not about the address being taken', async () => {
    // A missing folder: libuv reports EACCES or ENOENT depending on the platform.
    const err = await tryAcquireLock(join(dir, 'missing-folder', 'x.lock'), true).then(
      () => undefined,
      (e: NodeJS.ErrnoException) => e,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err?.code).not.toBe('EADDRINUSE');
  });
});
