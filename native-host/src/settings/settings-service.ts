import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { describeIssue, sectionSchemas, type SectionName, type Settings } from '../../../shared/settings';
import type { SettingsStore } from './settings-store';

export type SettingsListener = (settings: Settings, changed: SectionName) => void;

/**
 * The host's settings in memory, kept in step with settings.json. Writes are serialised so two
 * clients saving at once never lose each other's section; listeners apply a change at once.
 */
export class SettingsService {
  private current: Settings | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<SettingsListener>();

  constructor(private readonly store: SettingsStore) {}

  /** Reads the file again (the CLI may have changed it); throws INVALID_SETTINGS when it is bad. */
  async load(): Promise<Settings> {
    this.current = await this.store.load();
    return this.current;
  }

  /** The last settings read or written; load() first. */
  async get(): Promise<Settings> {
    return this.current ?? this.load();
  }

  /** The settings already in memory (undefined before the first load). */
  peek(): Settings | undefined {
    return this.current;
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Validates `value` with the section's schema, saves atomically, then tells the listeners. */
  set(section: SectionName, value: unknown): Promise<Settings> {
    const run = async () => {
      const base = await this.store.load();
      const parsed = sectionSchemas[section].safeParse(keepSecret(section, value, base));
      if (!parsed.success) {
        const { field, message } = describeIssue(parsed.error, section);
        throw new ProtocolError(ErrorCode.INVALID_SETTINGS, message, { field });
      }
      const next = { ...base, [section]: parsed.data } as Settings;
      await this.store.save(next);
      this.current = next;
      for (const l of this.listeners) l(next, section);
      return next;
    };
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }
}

/** The options page never receives the password, so an account saved without a new secret keeps the old one. */
function keepSecret(section: SectionName, value: unknown, base: Settings): unknown {
  if (section !== 'account' || typeof value !== 'object' || value === null) return value;
  const v = value as Record<string, unknown>;
  const { passwordSaved: _p, ha1Saved: _h, ...rest } = v;
  if (rest.password !== undefined || rest.ha1 !== undefined || !base.account) return rest;
  if (base.account.password !== undefined) return { ...rest, password: base.account.password };
  if (base.account.ha1 !== undefined) return { ...rest, ha1: base.account.ha1 };
  return rest;
}
