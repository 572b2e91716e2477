import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { mkdir } from 'node:fs/promises';
import {
  combineManaged,
  parseManagedPolicy,
  type ManagedKey,
  type ManagedProblem,
  type ManagedSource,
  type ManagedValues,
} from '../../../shared/settings/managed';
import { writeJsonAtomic } from '../fs/atomic-write';

export interface PolicyLog {
  warn(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
}

/** A policy file: missing is no policy; unreadable or bad JSON is no policy plus a problem. Never throws. */
export async function readPolicyFile(file: string): Promise<{ values: ManagedValues; problems: ManagedProblem[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { values: {}, problems: [] };
    return { values: {}, problems: [{ key: '(file)', reason: `${file} unreadable: ${(err as Error).message}` }] };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    return { values: {}, problems: [{ key: '(file)', reason: `${file} is not valid JSON (${(err as Error).message}); no setting of it applies` }] };
  }
  return parseManagedPolicy(raw);
}

/**
 * The managed values from both sources (shared/settings/managed.ts): the system file, read again
 * whenever the settings are (load), and the browser's policy, given by the extension over the
 * protocol (`settings.managed`) and kept in the user's folder so a host the CLI reaches with no
 * browser connected still enforces it.
 */
export class ManagedPolicies {
  private system: ManagedValues = {};
  private browser: ManagedValues = {};
  private browserGiven = false;

  constructor(
    private readonly files: { system: string; browser: string },
    private readonly log: PolicyLog,
  ) {}

  get systemFile(): string {
    return this.files.system;
  }

  async load(): Promise<void> {
    const system = await readPolicyFile(this.files.system);
    this.report(system.problems, this.files.system);
    this.system = system.values;
    // The policy the browser gave this host is the truth; the kept file serves only until it does
    // (a host started by the CLI with no browser). A file someone edited is checked again.
    if (this.browserGiven) return;
    const browser = await readPolicyFile(this.files.browser);
    if (!this.browserGiven) this.browser = browser.values;
  }

  /** The extension's storage.managed, whole: it replaces the previous browser policy. */
  async setBrowser(raw: unknown): Promise<{ applied: string[]; refused: ManagedProblem[] }> {
    const { values, problems } = parseManagedPolicy(raw);
    this.report(problems, 'browser policy');
    this.browser = values;
    this.browserGiven = true;
    await mkdir(dirname(this.files.browser), { recursive: true, mode: 0o700 });
    await writeJsonAtomic(this.files.browser, values);
    return { applied: Object.keys(values), refused: problems };
  }

  combined(): { values: ManagedValues; sources: Partial<Record<ManagedKey, ManagedSource>> } {
    return combineManaged(this.system, this.browser);
  }

  /** Where a key's value comes from, in words for an error message. */
  where(key: ManagedKey): string {
    const source = this.combined().sources[key];
    return source === 'system' ? this.files.system : 'the browser policy';
  }

  private report(problems: ManagedProblem[], where: string): void {
    for (const p of problems) this.log.warn({ key: p.key, where }, `managed setting refused: ${p.reason}`);
  }
}
