import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { dirname, join, posix, win32 } from 'node:path';
import * as z from 'zod';
import { BROWSER_IDS, type BrowserId } from './browsers';
import { InstallError } from './install-error';
import { writeJsonAtomic } from '../fs/atomic-write';

/**
 * install-record.json lists every file, folder and registry key `voispeed install` created, so
 * `voispeed uninstall` removes exactly those and nothing else. Later installers (the `voispeed:` URL
 * handler) add their own entries with their own component name.
 */

export type Component = 'launcher' | 'host-manifest' | 'url-handler';

export interface RecordEntry {
  /** `mime-default`: a default application set in a mimeapps.list (`path`) by `xdg-mime default`. */
  kind: 'file' | 'dir' | 'registry' | 'mime-default';
  /** A file or folder path, a registry key (`HKCU\…`), or the mimeapps.list file. */
  path: string;
  component: Component;
  browser?: BrowserId;
  /** Set for a manifest installed into a custom Chromium user data dir. */
  userDataDir?: string;
  /** Of the contents written: uninstall leaves alone a file that someone changed since. */
  sha256?: string;
  /** mime-default: the type (x-scheme-handler/voispeed) and the desktop entry made its default. */
  mimeType?: string;
  desktopId?: string;
  /** mime-default: the default it replaced, put back by uninstall. */
  previous?: string;
  /** mime-default: the list file did not exist before; uninstall removes it if left empty. */
  createdFile?: boolean;
}

export interface InstallRecord {
  version: 1;
  entries: RecordEntry[];
}

export const RECORD_FILE_NAME = 'install-record.json';

export function recordPath(configDir: string): string {
  return join(configDir, RECORD_FILE_NAME);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

const absolutePath = z
  .string()
  .min(1)
  .refine((p) => posix.isAbsolute(p) || win32.isAbsolute(p), 'must be an absolute path');

// The record is user-writable JSON that drives deletions: accept only shapes the installer writes.
const desktopId = z.string().regex(/^[A-Za-z0-9._-]{1,200}\.desktop$/);
const entrySchema = z
  .object({
    kind: z.enum(['file', 'dir', 'registry', 'mime-default']),
    path: z.string().min(1),
    component: z.enum(['launcher', 'host-manifest', 'url-handler']),
    browser: z.enum(BROWSER_IDS).optional(),
    userDataDir: absolutePath.optional(),
    sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
    mimeType: z.string().regex(/^x-scheme-handler\/[a-z][a-z0-9+.-]{0,31}$/).optional(),
    desktopId: desktopId.optional(),
    previous: desktopId.optional(),
    createdFile: z.boolean().optional(),
  })
  .refine(
    (e) => (e.kind === 'registry' ? /^HKCU\\Software\\[^\r\n]+$/i.test(e.path) : absolutePath.safeParse(e.path).success),
    { message: 'path must be absolute (files, folders) or under HKCU\\Software (registry keys)', path: ['path'] },
  )
  .refine((e) => e.kind !== 'mime-default' || (e.mimeType !== undefined && e.desktopId !== undefined && e.path.endsWith('mimeapps.list')), {
    message: 'a mime-default entry names a mimeapps.list, a type and a desktop entry',
    path: ['kind'],
  });

const recordSchema = z.object({ version: z.literal(1), entries: z.array(entrySchema) });

export function emptyRecord(): InstallRecord {
  return { version: 1, entries: [] };
}

export async function loadRecord(file: string): Promise<InstallRecord> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return emptyRecord();
    throw err;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new InstallError(`${file} is not valid JSON; fix or remove it (it lists what voispeed installed)`);
  }
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
    throw new InstallError(`${file}: field "${where}": ${issue?.message ?? 'invalid'}; fix or remove it`);
  }
  return parsed.data as InstallRecord;
}

/** 0600, replaced atomically; an empty record is deleted rather than left behind. */
export async function saveRecord(file: string, record: InstallRecord): Promise<'written' | 'removed' | 'none'> {
  if (record.entries.length === 0) {
    try {
      await unlink(file);
      return 'removed';
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
      throw err;
    }
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeJsonAtomic(file, record);
  return 'written';
}

function sameTarget(a: RecordEntry, b: RecordEntry): boolean {
  if (a.kind !== b.kind) return false;
  // Registry keys are case-insensitive; file names may not be.
  if (a.kind === 'registry') return a.path.toLowerCase() === b.path.toLowerCase();
  if (a.kind === 'mime-default') return a.path === b.path && a.mimeType === b.mimeType;
  return a.path === b.path;
}

/** A reinstall replaces entries for the same target in place (new hash, owner) and keeps the rest. */
export function mergeEntries(existing: readonly RecordEntry[], added: readonly RecordEntry[]): RecordEntry[] {
  const merged = [...existing];
  for (const entry of added) {
    const i = merged.findIndex((m) => sameTarget(m, entry));
    if (i < 0) {
      merged.push(entry);
      continue;
    }
    const old = merged[i]!;
    // A reinstall finds our own entry as the default: what to restore is still what the first install saw.
    merged[i] =
      entry.kind === 'mime-default' && entry.previous === undefined && old.desktopId === entry.desktopId
        ? { ...entry, ...(old.previous !== undefined ? { previous: old.previous } : {}), ...(old.createdFile ? { createdFile: true } : {}) }
        : entry;
  }
  return merged;
}

/** What `uninstall` should remove: everything, some browsers' default folders, or one user data dir. */
export type UninstallSelection =
  | { kind: 'everything' }
  | { kind: 'browsers'; browsers: readonly BrowserId[] }
  | { kind: 'user-data-dir'; userDataDir: string };

export function selectEntries(
  entries: readonly RecordEntry[],
  selection: UninstallSelection,
): { remove: RecordEntry[]; keep: RecordEntry[] } {
  const picked = (e: RecordEntry): boolean => {
    switch (selection.kind) {
      case 'everything':
        return true;
      case 'browsers':
        return e.component === 'host-manifest' && e.userDataDir === undefined && e.browser !== undefined && selection.browsers.includes(e.browser);
      case 'user-data-dir':
        return e.component === 'host-manifest' && e.userDataDir === selection.userDataDir;
    }
  };
  let remove = entries.filter(picked);
  let keep = entries.filter((e) => !picked(e));
  // The launcher serves every manifest: it goes with the last one that points at it.
  if (!keep.some((e) => e.component === 'host-manifest')) {
    remove = [...remove, ...keep.filter((e) => e.component === 'launcher')];
    keep = keep.filter((e) => e.component !== 'launcher');
  }
  return { remove, keep };
}
