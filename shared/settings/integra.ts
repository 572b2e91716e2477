import { z } from 'zod';

/** Integra (DESIGN section 5); issue 5 defines the rules. */
export const integraSettingsSchema = z.strictObject({
  enabled: z.boolean().default(false),
});
export type IntegraSettings = z.infer<typeof integraSettingsSchema>;
export const DEFAULT_INTEGRA: IntegraSettings = integraSettingsSchema.parse({});
