import { randomBytes } from 'node:crypto';
import { chmod, open, rename, unlink } from 'node:fs/promises';

/**
 * The one atomic write of the host (issue 14): a temp file beside the target, fsync, chmod, rename.
 * A reader (a browser starting, another process, the next run after a crash) sees the old file or
 * the new one, never half of one; a failed write leaves no temp file behind. The mode defaults to
 * 0600 because what is written here (settings with secrets, install records, sandbox status) is
 * the user's alone.
 */
export async function writeFileAtomic(path: string, contents: string, mode = 0o600): Promise<void> {
  // pid and random: two writers of one file, in one process or two, never share a temp file.
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    const handle = await open(tmp, 'w', mode);
    try {
      await handle.writeFile(contents, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // open()'s mode is filtered by the umask; a launcher must stay executable, a secret private.
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}

/** `value` as indented JSON with a final newline, written atomically (0600 unless told). */
export function writeJsonAtomic(path: string, value: unknown, mode = 0o600): Promise<void> {
  return writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, mode);
}
