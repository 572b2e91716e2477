import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * A private /etc for one process tree (issue 16's provisioning tests): an overlay of the real /etc
 * with extra files, mounted in a new mount namespace (`unshare -m`), so a browser reads
 * /etc/chromium/policies/… or the host /etc/voispeed/settings.json while the machine's /etc is
 * never written. A bind mount alone would need the folders to exist in the real /etc; the overlay's
 * upper layer holds them. Needs root (CI runs as root) and overlayfs.
 */
/** Mounting needs root (CI runs as root); without it the tests that need a private /etc are skipped, and say so. */
export const canUseEtcOverlay = typeof process.getuid === 'function' && process.getuid() === 0;

export interface EtcOverlay {
  /** argv that runs `cmd` with the overlay mounted: ['unshare', '-m', 'sh', '-c', …, ...cmd]. */
  wrap(cmd: readonly string[]): string[];
  /** An executable script that runs `program` with the overlay mounted (for puppeteer's executablePath). */
  wrapper(program: string, name: string): string;
}

export function etcOverlay(dir: string, files: Record<string, string>): EtcOverlay {
  const upper = join(dir, 'upper');
  const work = join(dir, 'work');
  mkdirSync(upper, { recursive: true });
  mkdirSync(work, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    if (!path.startsWith('/etc/')) throw new Error(`${path} is not under /etc`);
    const target = join(upper, path.slice('/etc/'.length));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, text, { mode: 0o644 });
  }
  const mount = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${upper},workdir=${work} /etc`;
  if (/[\s'"\\$`]/.test(upper + work)) throw new Error(`overlay dirs must be plain paths: ${dir}`);
  return {
    wrap: (cmd) => ['unshare', '-m', 'sh', '-c', `${mount} && exec "$@"`, 'sh', ...cmd],
    wrapper(program, name) {
      const file = join(dir, name);
      writeFileSync(file, `#!/bin/sh\nexec unshare -m sh -c '${mount} && exec "$0" "$@"' '${program}' "$@"\n`);
      chmodSync(file, 0o755);
      return file;
    },
  };
}
