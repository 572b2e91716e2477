import * as z from 'zod';
import { publicSettingsSchema, sectionNameSchema } from '../settings';
import { defineEvent, defineMethod } from './define';

const settingsResult = z.lazy(() => z.object({ settings: publicSettingsSchema }));

/** The settings as a client may see them (no password). */
export const get = defineMethod({
  method: 'settings.get',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({}).optional(),
  result: () => settingsResult,
});

/**
 * Replaces one section. The host validates `value` with that section's schema (the error names
 * the field), writes the file atomically, applies the change at once and pushes `settings`.
 * For `account`, a value without password and ha1 keeps the saved secret.
 */
export const set = defineMethod({
  method: 'settings.set',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ section: sectionNameSchema, value: z.unknown() }),
  result: () => settingsResult,
});

/**
 * The browser's managed policy (chrome.storage.managed: Chrome/Edge enterprise policy, Firefox
 * policies.json `3rdparty`), sent whole by the extension after `hello` and whenever it changes;
 * it replaces the previous one. Keys and their meaning: shared/settings/managed.ts. Each key is
 * checked on its own: `refused` names the bad ones (a plain password always is), the rest apply.
 * The system file wins over it key by key. Only the browser that owns the UI may send it.
 * @since 1 (issue 16, additive)
 */
export const managed = defineMethod({
  method: 'settings.managed',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ policy: z.record(z.string().max(64), z.unknown()) }),
  result: () => z.object({
    applied: z.array(z.string()),
    refused: z.array(z.object({ key: z.string(), reason: z.string() })),
    settings: publicSettingsSchema,
  }),
});

export const settingsChanged = defineEvent({ event: 'settings', direction: 'to-extension', since: 1, data: () => publicSettingsSchema });
