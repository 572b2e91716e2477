import { link, readFile, unlink, writeFile } from 'node:fs/promises';
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

/**
 * Creates `path` holding `content`, or fails with EEXIST, in one step: the content is written to a
 * private file first and hard-linked into place. With open(O_EXCL) then write, a contender could
 * read the lock while still empty, take it for a dead holder's, delete it and enter too (two
 * racing `sandbox start`s then ran two Kamailios on one folder).
 */
async function createWithContent(path: string, content: string): Promise<void> {
  const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await writeFile(tmp, content, { flag: 'wx', mode: 0o600 });
  try {
    await link(tmp, path);
  } finally {
    await unlink(tmp).catch(() => undefined);
  }
}

/** True while a live process holds `dir`'s lock (a start or stop is running there). */
export async function lockHeld(dir: string): Promise<boolean> {
  const holder = await readFile(join(dir, '.lock'), 'utf8').catch(() => undefined);
  const pid = Number(holder?.split(' ')[0]);
  return Number.isInteger(pid) && pid > 0 && alive(pid);
}

/** Serialises start/stop on one sandbox folder (two CLIs, or a test and `npm start`). */
export async function withDirLock<T>(dir: string, fn: () => Promise<T>, waitMs = 30_000): Promise<T> {
  const lock = join(dir, '.lock');
  const token = `${process.pid} ${Math.random().toString(36).slice(2)}`;
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      await createWithContent(lock, token);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = await readFile(lock, 'utf8').catch(() => undefined);
      // Released meanwhile: try again (deleting now could remove the next holder's lock).
      if (holder === undefined) continue;
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
