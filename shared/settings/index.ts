import * as z from 'zod';
import { accountSchema, type Account } from '../protocol/account';
import { defaultDirectory, directorySettingsSchema, publicDirectory, publicDirectorySchema } from './directory';
import { defaultHotkeys, hotkeySettingsSchema } from './hotkeys';
import { defaultIntegra, integraSettingsSchema } from './integra';
import { defaultPreferences, preferencesSchema } from './preferences';

export const SETTINGS_VERSION = 1;

/**
 * settings.json as the host stores it. Every section but `version` is optional on disk, so a
 * file written by an older version stays valid; readers use `sectionOf` to get the defaults.
 * One schema for both sides: the host validates on every read and write, the options page
 * validates before it sends.
 */
export const settingsSchema = z.lazy(() => z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  account: accountSchema.optional(),
  preferences: preferencesSchema.optional(),
  integra: integraSettingsSchema.optional(),
  hotkeys: hotkeySettingsSchema.optional(),
  /** Caller names: LDAP and CRM lookup (issue 18). */
  directory: directorySettingsSchema.optional(),
}));
export type Settings = z.infer<typeof settingsSchema>;

/** The sections a client may replace one at a time (`settings.set`). */
export const sectionSchemas = {
  account: accountSchema,
  preferences: preferencesSchema,
  integra: integraSettingsSchema,
  hotkeys: hotkeySettingsSchema,
  directory: directorySettingsSchema,
} as const;
export type SectionName = keyof typeof sectionSchemas;
export const sectionNameSchema = z.enum(['account', 'preferences', 'integra', 'hotkeys', 'directory']);

const sectionDefaults = {
  preferences: defaultPreferences,
  integra: defaultIntegra,
  hotkeys: defaultHotkeys,
  directory: defaultDirectory,
};
type DefaultedSection = keyof typeof sectionDefaults;

/** A section with its defaults filled in. */
export function sectionOf<K extends DefaultedSection>(settings: Settings, name: K): NonNullable<Settings[K]> {
  return (settings[name] ?? sectionDefaults[name]()) as NonNullable<Settings[K]>;
}

export function defaultSettings(): Settings {
  return { version: SETTINGS_VERSION };
}

/**
 * What the host shows a client: never the password nor the HA1 (it opens the account as well as
 * the password does, in its realm), only whether one is saved.
 */
export const publicAccountSchema = z.lazy(() => accountSchema.unwrap().omit({ password: true, ha1: true }).extend({ passwordSaved: z.boolean(), ha1Saved: z.boolean() }));
export type PublicAccount = z.infer<typeof publicAccountSchema>;

export const publicSettingsSchema = z.lazy(() => z.object({
  account: publicAccountSchema.optional(),
  preferences: preferencesSchema,
  integra: integraSettingsSchema,
  hotkeys: hotkeySettingsSchema,
  /** Since issue 18 (absent from older hosts): LDAP and CRM lookup, secrets only as "saved". */
  directory: publicDirectorySchema.optional(),
  /** Fields set by the administrator (`account.uri`, …): shown locked, refused when changed. Since issue 16. */
  locked: z.array(z.string()).optional(),
}));
export type PublicSettings = z.infer<typeof publicSettingsSchema>;

export function publicAccount(account: Account): PublicAccount {
  const { password, ha1, ...rest } = account;
  return { ...rest, passwordSaved: password !== undefined && password !== '', ha1Saved: ha1 !== undefined };
}

export function publicSettings(settings: Settings, locked: readonly string[] = []): PublicSettings {
  return {
    ...(locked.length > 0 ? { locked: [...locked] } : {}),
    ...(settings.account ? { account: publicAccount(settings.account) } : {}),
    preferences: sectionOf(settings, 'preferences'),
    integra: sectionOf(settings, 'integra'),
    hotkeys: sectionOf(settings, 'hotkeys'),
    directory: publicDirectory(sectionOf(settings, 'directory')),
  };
}

/** The first problem of a failed parse, naming the field: `integra.rules.0.template: …`. */
export function describeIssue(error: z.ZodError, prefix: string): { field: string; message: string } {
  const issue = error.issues[0];
  const field = [prefix, ...(issue?.path ?? [])].filter((p) => p !== '').join('.');
  return { field: field || '(root)', message: `${field || 'settings'}: ${issue?.message ?? 'invalid'}` };
}
