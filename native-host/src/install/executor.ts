import { access, mkdir, readFile, rmdir, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { browserLabel } from './browsers';
import { InstallError } from './install-error';
import { writeFileAtomic } from '../fs/atomic-write';
import { sha256, type RecordEntry } from './install-record';
import type { InstallStep, Owner, UninstallStep } from './plan';
import { isEmptyList, readDefault, writeDefault } from './mimeapps';
import type { CommandRunner } from './windows-registry';

/** Carries out a plan. The only part of the installer that touches the disk or runs programs. */
export interface ExecuteDeps {
  runner: CommandRunner;
  log(line: string): void;
  /** The environment for xdg-mime and update-desktop-database (HOME, XDG folders). */
  env?: NodeJS.ProcessEnv;
}

function ownerFields(owner: Owner): Pick<RecordEntry, 'component' | 'browser' | 'userDataDir'> {
  return {
    component: owner.component,
    ...(owner.browser !== undefined ? { browser: owner.browser } : {}),
    ...(owner.userDataDir !== undefined ? { userDataDir: owner.userDataDir } : {}),
  };
}

function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.code ? `${e.code}${e.syscall ? ` (${e.syscall})` : ''}` : String(e.message ?? err);
}

function firstLine(text: string): string {
  return text.trim().split(/\r?\n/)[0] ?? '';
}

/** `mkdir -p` that reports every folder it had to create, so uninstall can remove exactly those. */
async function makeDirs(dir: string, mode: number): Promise<string[]> {
  const first = await mkdir(dir, { recursive: true, mode });
  if (first === undefined) return [];
  const created: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    created.push(d);
    if (d === first || dirname(d) === d) break;
  }
  return created.reverse();
}

/**
 * Runs the steps in order, pushing an entry to `written` the moment each thing exists, so that if a
 * later step fails the caller can still record (and a later uninstall remove) what was made.
 */
export async function executeInstall(steps: readonly InstallStep[], deps: ExecuteDeps, written: RecordEntry[]): Promise<void> {
  for (const step of steps) {
    const owner = ownerFields(step.owner);
    if (step.kind === 'write-file') {
      let created: string[];
      try {
        created = await makeDirs(dirname(step.path), step.dirMode);
      } catch (err) {
        throw new InstallError(`cannot create the folder ${dirname(step.path)}: ${reason(err)}`);
      }
      for (const dir of created) written.push({ kind: 'dir', path: dir, ...owner });
      try {
        await writeFileAtomic(step.path, step.contents, step.mode);
      } catch (err) {
        throw new InstallError(`cannot write ${step.path}: ${reason(err)}`);
      }
      written.push({ kind: 'file', path: step.path, ...owner, sha256: sha256(step.contents) });
      deps.log(`wrote ${step.path} (${step.label})`);
    } else if (step.kind === 'set-mime-default') {
      const before = await readIfExists(step.mimeappsFile);
      const previous = before === undefined ? undefined : readDefault(before, step.mimeType);
      const result = await deps.runner(step.program, step.args, runOptions(deps));
      if (result.code !== 0) {
        // The browsers' host works without it: say so and carry on rather than fail the whole install.
        const why = result.code === null && /ENOENT/.test(result.stderr) ? 'xdg-mime is not installed (install xdg-utils' : `xdg-mime failed: ${firstLine(result.stderr) || `exit code ${String(result.code)}`} (fix it`;
        deps.log(`warning: voispeed: links will not open with VOIspeed: ${why}, then run voispeed install again)`);
        continue;
      }
      written.push({
        kind: 'mime-default',
        path: step.mimeappsFile,
        ...owner,
        mimeType: step.mimeType,
        desktopId: step.desktopId,
        ...(previous !== undefined && previous !== step.desktopId ? { previous } : {}),
        ...(before === undefined ? { createdFile: true } : {}),
      });
      deps.log(`set ${step.desktopId} as the ${step.label} (${step.mimeappsFile})`);
    } else if (step.kind === 'refresh-desktop-database') {
      const line = await refreshDesktopDatabase(step, deps);
      if (line) deps.log(line);
    } else {
      const result = await deps.runner(step.program, step.args);
      if (result.code !== 0) {
        throw new InstallError(`reg.exe could not write ${step.key}: ${firstLine(result.stderr) || `exit code ${String(result.code)}`}`);
      }
      written.push({ kind: 'registry', path: step.key, ...owner });
      deps.log(`registered ${step.key} = ${step.value}`);
    }
  }
}

function runOptions(deps: ExecuteDeps): { env?: NodeJS.ProcessEnv } {
  return deps.env ? { env: deps.env } : {};
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * update-desktop-database rebuilds `mimeinfo.cache`. Only where one exists: a folder without a cache
 * has no one reading it, and creating one would leave a file behind that uninstall did not write.
 * The tool is optional (desktop-file-utils); the default set in mimeapps.list works without it.
 */
async function refreshDesktopDatabase(step: { dir: string; program: string; args: readonly string[] }, deps: ExecuteDeps): Promise<string | undefined> {
  try {
    await access(join(step.dir, 'mimeinfo.cache'));
  } catch {
    return undefined;
  }
  const result = await deps.runner(step.program, step.args, runOptions(deps));
  if (result.code === 0) return `refreshed ${join(step.dir, 'mimeinfo.cache')} (desktop database)`;
  if (result.code === null && /ENOENT/.test(result.stderr)) return `not refreshed ${join(step.dir, 'mimeinfo.cache')}: update-desktop-database is not installed`;
  return `update-desktop-database failed in ${step.dir}: ${firstLine(result.stderr) || `exit code ${String(result.code)}`}`;
}

/** Atomic write with the mode the file already had (0644 for a new one). */
async function rewrite(path: string, contents: string): Promise<void> {
  await writeFileAtomic(path, contents, 0o644);
}

export function describeEntry(entry: RecordEntry): string {
  const who = entry.browser ? `${browserLabel(entry.browser)} ` : '';
  if (entry.kind === 'dir') return 'folder';
  if (entry.kind === 'mime-default') return `default handler for ${entry.mimeType ?? 'a type'}`;
  if (entry.component === 'url-handler') return entry.path.endsWith('.desktop') ? 'voispeed: URL desktop entry' : 'voispeed: URL launcher';
  if (entry.kind === 'registry') return `${who}registry key`;
  if (entry.component === 'host-manifest') return `${who}host manifest`;
  return entry.component;
}

export interface UninstallOutcome {
  /** Entries that no longer belong in the record: removed, already gone, or changed by someone else. */
  done: RecordEntry[];
  /** Entries that could not be removed; they stay in the record for another try. */
  failed: { entry: RecordEntry; message: string }[];
}

/** Best effort over every step: one failure does not leave the rest in place. */
export async function executeUninstall(steps: readonly UninstallStep[], deps: ExecuteDeps): Promise<UninstallOutcome> {
  const outcome: UninstallOutcome = { done: [], failed: [] };
  for (const step of steps) {
    if (step.kind === 'refresh-desktop-database') {
      // Not recorded, nothing to keep in the record: best effort, and said so.
      const line = await refreshDesktopDatabase(step, deps).catch((err: unknown) => `update-desktop-database failed: ${reason(err)}`);
      if (line) deps.log(line);
      continue;
    }
    const { entry } = step;
    try {
      const line = await undo(step, deps);
      if (line) deps.log(line);
      outcome.done.push(entry);
    } catch (err) {
      outcome.failed.push({ entry, message: err instanceof InstallError ? err.message : `cannot remove ${entry.path}: ${reason(err)}` });
    }
  }
  return outcome;
}

async function undo(step: Exclude<UninstallStep, { kind: 'refresh-desktop-database' }>, deps: ExecuteDeps): Promise<string | undefined> {
  const { entry } = step;
  const runner: CommandRunner = deps.runner;
  switch (step.kind) {
    case 'restore-mime-default': {
      const text = await readIfExists(entry.path);
      const mimeType = entry.mimeType ?? '';
      if (text === undefined || readDefault(text, mimeType) !== entry.desktopId) {
        return `kept ${entry.path}: ${mimeType} no longer opens with ${entry.desktopId ?? 'ours'}`;
      }
      const next = writeDefault(text, mimeType, entry.previous);
      if (entry.createdFile && isEmptyList(next)) {
        await unlink(entry.path);
        return `removed ${entry.path} (it held only our default for ${mimeType})`;
      }
      await rewrite(entry.path, next);
      return entry.previous ? `restored ${entry.previous} as the default for ${mimeType}` : `removed the default for ${mimeType} from ${entry.path}`;
    }
    case 'registry-delete': {
      const result = await runner(step.program, step.args);
      if (result.code === 0) return `removed ${entry.path} (${describeEntry(entry)})`;
      const query = await runner(step.program, step.queryArgs);
      if (query.code !== 0) return `already gone: ${entry.path}`;
      throw new InstallError(`reg.exe could not delete ${entry.path}: ${firstLine(result.stderr) || `exit code ${String(result.code)}`}`);
    }
    case 'remove-file': {
      let text: string;
      try {
        text = await readFile(entry.path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return `already gone: ${entry.path}`;
        throw err;
      }
      // Another install (e.g. under another VOISPEED_HOME) or the user rewrote it: not ours to delete.
      if (entry.sha256 !== undefined && sha256(text) !== entry.sha256) {
        return `kept ${entry.path}: it changed after voispeed installed it`;
      }
      await unlink(entry.path);
      return `removed ${entry.path} (${describeEntry(entry)})`;
    }
    case 'remove-dir':
      try {
        await rmdir(entry.path);
        return `removed ${entry.path} (folder)`;
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT') return undefined;
        // Someone else put files there since: the folder is no longer only ours.
        if (code === 'ENOTEMPTY' || code === 'EEXIST') return `kept ${entry.path}: folder not empty`;
        throw err;
      }
  }
}
