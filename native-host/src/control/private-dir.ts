import { chmod, lstat, mkdir } from 'node:fs/promises';

/**
 * Makes sure `dir` is a real directory (not a symlink) owned by us with mode 0700, so no other
 * user can reach the control socket or swap it for their own.
 */
export async function ensurePrivateDir(dir: string, uid: number | undefined): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const st = await lstat(dir);
  if (!st.isDirectory() || st.isSymbolicLink()) {
    throw new Error(`${dir} is not a real directory; refusing to use it`);
  }
  if (uid !== undefined && st.uid !== uid) {
    throw new Error(`${dir} belongs to uid ${st.uid}, not to us (${uid}); refusing to use it`);
  }
  if ((st.mode & 0o077) !== 0) await chmod(dir, 0o700);
}
