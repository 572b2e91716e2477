import { z } from 'zod';
import { publicSettingsSchema, sectionNameSchema } from '../settings';
import { defineEvent, defineMethod } from './define';

const settingsResult = z.object({ settings: publicSettingsSchema });

/** The settings as a client may see them (no password). */
export const get = defineMethod({
  method: 'settings.get',
  direction: 'to-host',
  since: 1,
  params: z.strictObject({}).optional(),
  result: settingsResult,
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
  params: z.strictObject({ section: sectionNameSchema, value: z.unknown() }),
  result: settingsResult,
});

export const settingsChanged = defineEvent({ event: 'settings', direction: 'to-extension', since: 1, data: publicSettingsSchema });
