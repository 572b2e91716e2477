import { z } from 'zod';

/** System-wide hotkeys (issue 7 defines the combinations). */
export const hotkeySettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
});
export type HotkeySettings = z.infer<typeof hotkeySettingsSchema>;
export const DEFAULT_HOTKEYS: HotkeySettings = hotkeySettingsSchema.parse({});
