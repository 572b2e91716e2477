import { chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { defaultSettings, settingsSchema, type Settings } from './settings-schema';
import { writeJsonAtomic } from '../fs/atomic-write';

/**
 * settings.json: validated on every read and write, 0600 in a 0700 folder, replaced atomically
 * (write a temp file, fsync, rename) so a crash never leaves half a file.
 */
export class SettingsStore {
  constructor(private readonly file: string) {}

  get path(): string {
    return this.file;
  }

  async load(): Promise<Settings> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return defaultSettings();
      throw err;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (err) {
      throw new ProtocolError(
        ErrorCode.INVALID_SETTINGS,
        `${this.file} is not valid JSON (${(err as Error).message}); fix or remove it`,
      );
    }
    return parseSettings(raw, this.file);
  }

  async save(settings: Settings): Promise<void> {
    const valid = parseSettings(settings, 'settings');
    const dir = dirname(this.file);
    await mkdir(dir, { recursive: true, mode: 0o700 });
    await chmod(dir, 0o700);
    await writeJsonAtomic(this.file, valid);
  }

  async update(change: (current: Settings) => Settings): Promise<Settings> {
    const next = change(await this.load());
    await this.save(next);
    return next;
  }
}

export function parseSettings(raw: unknown, where: string): Settings {
  const parsed = settingsSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(root)';
  throw new ProtocolError(
    ErrorCode.INVALID_SETTINGS,
    `${where}: field "${field}": ${issue?.message ?? 'invalid'}`,
    { field },
  );
}
