import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { withDirLock } from './dir-lock';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'voispeed-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

describe('sandbox folder lock', () => {
  it('runs one start/stop at a time', async () => {
    const order: string[] = [];
    const job = (name: string) =>
      withDirLock(dir, async () => {
        order.push(`${name}+`);
        await sleep(30);
        order.push(`${name}-`);
        return name;
      });
    expect(await Promise.all([job('a'), job('b')])).toEqual(['a', 'b']);
    // Either may win the race for the lock (the scheduler decides): what matters is that they never overlap.
    const first = order[0]![0]!;
    const second = first === 'a' ? 'b' : 'a';
    expect(order).toEqual([`${first}+`, `${first}-`, `${second}+`, `${second}-`]);
  });

  it('lets exactly one of many racing contenders in at a time (no window where the lock file is empty)', { timeout: 30_000 }, async () => {
    let inside = 0;
    let most = 0;
    const job = () =>
      withDirLock(dir, async () => {
        inside++;
        most = Math.max(most, inside);
        await sleep(2);
        inside--;
      });
    for (let round = 0; round < 4; round++) await Promise.all(Array.from({ length: 8 }, job));
    expect(most).toBe(1);
  });

  it('takes over a lock left by a process that died', async () => {
    // Pid 2^22+1 is above Linux's pid_max ceiling, so nobody holds it.
    await writeFile(join(dir, '.lock'), '4194305 stale');
    expect(await withDirLock(dir, async () => 'ran', 500)).toBe('ran');
  });

  it('gives up with a clear error while a live process holds it', async () => {
    await writeFile(join(dir, '.lock'), `${process.pid} someone-else`);
    await expect(withDirLock(dir, async () => 'ran', 150)).rejects.toThrow(/busy/);
  });

  it('releases the lock when the job throws', async () => {
    await expect(withDirLock(dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await withDirLock(dir, async () => 'next', 100)).toBe('next');
  });
});
