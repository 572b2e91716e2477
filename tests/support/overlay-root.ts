import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './temp';

/**
 * A throw-away copy of this machine's own root filesystem, to install packages into for real:
 * an overlay whose lower layer is `/` and whose upper layer is a temporary folder, in a private
 * mount namespace held open by one process. dpkg, apt and the browsers inside see the real
 * system (same Debian, same installed browsers, same dpkg database), every change lands in the
 * upper layer and vanishes with it. Needs no mirror and no download, unlike debootstrap, and
 * takes milliseconds. Commands run inside with `nsenter` into the holder's mounts and root.
 * Root only (mount namespaces and overlayfs).
 */
export interface OverlayRoot {
  /** The root as seen from outside (/proc/<holder>/root: the mounts exist only in its namespace). */
  merged: string;
  /** `share` (a host folder) is visible inside as /mnt. */
  share: string;
  run(cmd: string[], env?: Record<string, string>, timeoutMs?: number): Promise<{ code: number | null; out: string; err: string }>;
  spawn(cmd: string[], env?: Record<string, string>): ChildProcess;
  close(): Promise<void>;
}

const BASE_ENV = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', DEBIAN_FRONTEND: 'noninteractive' };

export async function openOverlayRoot(tag: string): Promise<OverlayRoot> {
  const dir = tempDir(tag);
  const upper = join(dir.path, 'upper');
  const work = join(dir.path, 'work');
  const merged = join(dir.path, 'merged');
  const share = join(dir.path, 'share');
  for (const d of [upper, work, merged, share]) mkdirSync(d);
  // Paths are ours (mkdtemp under tmpdir), passed as positional parameters, never spliced in.
  const setup = [
    'set -e',
    'mount -t overlay overlay -o "lowerdir=/,upperdir=$1,workdir=$2" "$3"',
    'mount --rbind /proc "$3/proc"',
    'mount --rbind /sys "$3/sys"',
    'mount --rbind /dev "$3/dev"',
    // A fresh /run and /tmp: nothing of the host's sockets or temp files leaks in.
    'mount -t tmpfs tmpfs "$3/run"',
    'mount -t tmpfs tmpfs "$3/tmp"',
    'mount --bind "$4" "$3/mnt"',
    'echo ready',
    // Held open until the test closes its stdin.
    'exec chroot "$3" /bin/sh -c "read _ignored || true"',
  ].join('\n');
  const holder: ChildProcess = spawn('unshare', ['-m', '--propagation', 'private', '--', 'sh', '-c', setup, 'sh', upper, work, merged, share], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let errText = '';
  holder.stderr!.on('data', (c: Buffer) => (errText += c.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = '';
    holder.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      if (out.includes('ready\n')) resolve();
    });
    holder.once('exit', (code) => reject(new Error(`overlay root could not be set up (exit ${code}): ${errText.trim()}`)));
  });
  const pid = holder.pid!;
  // -r -w: the holder's root and its working folder (chroot(1) left it at /).
  const enter = (cmd: string[], env: Record<string, string>) => ['-t', String(pid), '-m', '-r', '-w', '--', 'env', '-i', ...Object.entries({ ...BASE_ENV, ...env }).map(([k, v]) => `${k}=${v}`), ...cmd];
  return {
    merged: `/proc/${pid}/root`,
    share,
    run(cmd, env = {}, timeoutMs = 120_000) {
      return new Promise((resolve) => {
        execFile('nsenter', enter(cmd, env), { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 << 20 }, (err, out, errOut) => {
          const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : null) : 0;
          resolve({ code, out, err: errOut });
        });
      });
    },
    spawn(cmd, env = {}) {
      return spawn('nsenter', enter(cmd, env), { stdio: ['pipe', 'pipe', 'pipe'] });
    },
    async close() {
      if (holder.exitCode === null) {
        const gone = new Promise((r) => holder.once('exit', r));
        holder.stdin!.end();
        await gone;
      }
      // The namespace (and so every mount) is gone once its last process is: the caller ends
      // what it started inside first.
      rmSync(dir.path, { recursive: true, force: true });
    },
  };
}

export const canUseOverlayRoot = typeof process.getuid === 'function' && process.getuid() === 0;
