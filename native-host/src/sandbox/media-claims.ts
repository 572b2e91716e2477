import { lstat, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withDirLock } from './dir-lock';
import { BOT_RTP_SPAN, type PortRange } from './ports';

/**
 * Media ports are bound only during calls, so probing them cannot tell that another sandbox owns a
 * block: two sandboxes could draw the same one. Each sandbox therefore records the blocks it uses in
 * a per-user registry, one file per unit of UNIT ports holding the owner's folder; a unit is free
 * when nobody recorded it or its owner no longer uses it (stopped, crashed, moved elsewhere).
 */
const UNIT = BOT_RTP_SPAN;

/** Whether the sandbox in `owner` still uses (or may be about to use) ports of `range`. */
export type OwnerCheck = (owner: string, range: PortRange) => Promise<boolean>;

export interface MediaClaims {
  /** Records `range` for this sandbox; false (nothing recorded) when a live sandbox holds part of it. */
  claim(range: PortRange): Promise<boolean>;
  /** Forgets every unit this sandbox recorded (it stopped, or is about to pick its ports again). */
  releaseAll(): Promise<void>;
}

/** The registry folder: private to the user, since its contents steer where sandboxes bind. */
function defaultRegistry(): string {
  return join(tmpdir(), `voispeed-sandbox-media-${process.getuid?.() ?? 0}`);
}

export function mediaClaims(opts: { owner: string; inUse: OwnerCheck; registry?: string }): MediaClaims {
  const registry = opts.registry ?? defaultRegistry();
  const usable = ensurePrivateDir(registry);
  const unitFile = (u: number) => join(registry, `unit-${u}`);
  const locked = async <T>(fn: () => Promise<T>, fallback: T): Promise<T> => ((await usable) ? withDirLock(registry, fn) : fallback);
  return {
    claim: (range) =>
      // Without a registry we can trust, claims are not kept: the block is still probed free.
      locked(async () => {
        const wanted = units(range);
        for (const u of wanted) {
          const owner = await readFile(unitFile(u), 'utf8').catch(() => undefined);
          if (owner === undefined || owner === opts.owner) continue;
          if (await opts.inUse(owner, { min: u * UNIT, max: u * UNIT + UNIT - 1 })) return false;
        }
        for (const u of wanted) await writeFile(unitFile(u), opts.owner, { mode: 0o600 });
        return true;
      }, true),
    releaseAll: () =>
      locked(async () => {
        for (const name of await readdir(registry)) {
          if (!name.startsWith('unit-')) continue;
          const file = join(registry, name);
          if ((await readFile(file, 'utf8').catch(() => undefined)) === opts.owner) await unlink(file).catch(() => undefined);
        }
      }, undefined),
  };
}

function units(range: PortRange): number[] {
  const out: number[] = [];
  for (let u = Math.floor(range.min / UNIT); u <= Math.floor(range.max / UNIT); u++) out.push(u);
  return out;
}

/** Creates the folder 0700, and refuses one that is not ours alone (another user could have made it). */
async function ensurePrivateDir(path: string): Promise<boolean> {
  await mkdir(path, { recursive: true, mode: 0o700 }).catch(() => undefined);
  const st = await lstat(path).catch(() => undefined);
  if (!st?.isDirectory()) return false;
  return st.uid === (process.getuid?.() ?? st.uid) && (st.mode & 0o022) === 0;
}
