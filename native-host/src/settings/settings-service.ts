import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { describeIssue, sectionSchemas, type SectionName, type Settings } from '../../../shared/settings';
import { lockedFields, lockViolation, type ManagedProblem } from '../../../shared/settings/managed';
import { keepDirectorySecrets } from '../../../shared/settings/directory';
import type { ManagedPolicies } from './managed-policies';
import { applyManaged } from './managed-merge';
import type { SettingsStore } from './settings-store';

export type SettingsListener = (settings: Settings, changed: SectionName) => void;

const SECTIONS = Object.keys(sectionSchemas) as SectionName[];

/**
 * The host's settings in memory, kept in step with settings.json. Writes are serialised so two
 * clients saving at once never lose each other's section; listeners apply a change at once.
 * With managed policies (issue 16) what everyone reads is the user's file with the managed fields
 * laid over it, and a change to a managed field is refused here, whoever asks (options page, CLI
 * through the host, voispeed:U).
 */
export class SettingsService {
  private user: Settings | undefined;
  private current: Settings | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners = new Set<SettingsListener>();

  constructor(
    private readonly store: SettingsStore,
    private readonly managed?: ManagedPolicies,
    private readonly warn: (problem: string) => void = () => undefined,
  ) {}

  /**
   * Reads the file (and the system policy) again; throws INVALID_SETTINGS when the file is bad.
   * In line with every write: a load that read the kept browser policy while the extension's new
   * one was being applied would lay the old one back (at start-up: an account provisioned by the
   * browser dropped the moment after it registered).
   */
  load(): Promise<Settings> {
    return this.serial(async () => {
      await this.managed?.load();
      this.user = await this.store.load();
      return this.recompute();
    });
  }

  /** The last settings read or written; load() first. */
  async get(): Promise<Settings> {
    return this.current ?? this.load();
  }

  /** The settings already in memory (undefined before the first load). */
  peek(): Settings | undefined {
    return this.current;
  }

  /** The fields an administrator set (`account.uri`, …). */
  locked(): string[] {
    return this.managed ? lockedFields(this.managed.combined().values) : [];
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Throws SETTING_LOCKED, naming the field and the policy key, when `value` would change a managed field. */
  assertUnlocked(section: SectionName, value: unknown): void {
    if (!this.managed) return;
    const hit = lockViolation(this.managed.combined().values, section, value);
    if (!hit) return;
    throw new ProtocolError(
      ErrorCode.SETTING_LOCKED,
      `${hit.field} is set by your administrator (${hit.key} in ${this.managed.where(hit.key)}) and cannot be changed here`,
      { field: hit.field, key: hit.key },
    );
  }

  /** Validates `value` with the section's schema, saves atomically, then tells the listeners. */
  set(section: SectionName, value: unknown): Promise<Settings> {
    const run = async () => {
      this.assertUnlocked(section, value);
      const base = await this.store.load();
      const parsed = sectionSchemas[section].safeParse(keepSecret(section, value, base));
      if (!parsed.success) {
        const { field, message } = describeIssue(parsed.error, section);
        throw new ProtocolError(ErrorCode.INVALID_SETTINGS, message, { field });
      }
      const next = { ...base, [section]: parsed.data } as Settings;
      await this.store.save(next);
      this.user = next;
      const effective = this.recompute();
      for (const l of this.listeners) l(effective, section);
      return effective;
    };
    return this.serial(run);
  }

  /**
   * The browser's policy changed (the extension sent storage.managed): the sections whose
   * effective value changed are announced, so the account re-registers and hotkeys re-bind.
   */
  setBrowserPolicy(raw: unknown): Promise<{ applied: string[]; refused: ManagedProblem[] }> {
    const managed = this.managed;
    if (!managed) return Promise.resolve({ applied: [], refused: [] });
    return this.serial(async () => {
      const before = this.current;
      const result = await managed.setBrowser(raw);
      if (!this.user) this.user = await this.store.load();
      const after = this.recompute();
      for (const section of SECTIONS) {
        if (JSON.stringify(before?.[section]) === JSON.stringify(after[section]) && before !== undefined) continue;
        for (const l of this.listeners) l(after, section);
      }
      return result;
    });
  }

  private serial<T>(run: () => Promise<T>): Promise<T> {
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private recompute(): Settings {
    const user = this.user ?? { version: 1 as const };
    if (!this.managed) return (this.current = user);
    const { settings, problems } = applyManaged(user, this.managed.combined().values);
    for (const p of problems) this.warn(p);
    return (this.current = settings);
  }
}

/** The options page never receives the password, so an account saved without a new secret keeps the old one. */
function keepSecret(section: SectionName, value: unknown, base: Settings): unknown {
  if (section === 'directory') return keepDirectorySecrets(value, base.directory);
  if (section !== 'account' || typeof value !== 'object' || value === null) return value;
  const v = value as Record<string, unknown>;
  const { passwordSaved: _p, ha1Saved: _h, ...rest } = v;
  if (rest.password !== undefined || rest.ha1 !== undefined || !base.account) return rest;
  if (base.account.password !== undefined) return { ...rest, password: base.account.password };
  if (base.account.ha1 !== undefined) return { ...rest, ha1: base.account.ha1 };
  return rest;
}
