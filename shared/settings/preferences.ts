import { z } from 'zod';

/** Everyday preferences (issue 8 extends this section: DND, language, dialling format, history size). */
export const preferencesSchema = z.strictObject({
  /** Incoming calls are rejected as busy (486) while on. */
  dnd: z.boolean().default(false),
});
export type Preferences = z.infer<typeof preferencesSchema>;
export const DEFAULT_PREFERENCES: Preferences = preferencesSchema.parse({});
