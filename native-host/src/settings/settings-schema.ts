import { z } from 'zod';
import { accountSchema } from '../../../shared/protocol/account';

export const SETTINGS_VERSION = 1;

export const settingsSchema = z.strictObject({
  version: z.literal(SETTINGS_VERSION),
  account: accountSchema.optional(),
});
export type Settings = z.infer<typeof settingsSchema>;

export function defaultSettings(): Settings {
  return { version: SETTINGS_VERSION };
}
