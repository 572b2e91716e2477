import { readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Serialises start/stop on one sandbox folder (two CLIs, or a test and `npm start`). */
export async function withDirLock<T>(dir: string, fn: () => Promise<T>, waitMs = 30_000): Promise<T> {
  const lock = join(dir, '.lock');
  const token = `${process.pid} ${Math.random().toString(36).slice(2)}`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await writeFile(lock, token, { flag: 'wx', mode: 0o600 });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = await readFile(lock, 'utf8').catch(() => '');
      const pid = Number(holder.split(' ')[0]);
      // A holder that died (crash, kill -9) must not block the sandbox forever.
      if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) {
        await unlink(lock).catch(() => undefined);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`sandbox ${dir} is busy (another start or stop is running, pid ${pid})`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    const current = await readFile(lock, 'utf8').catch(() => '');
    if (current === token) await unlink(lock).catch(() => undefined);
  }
}
