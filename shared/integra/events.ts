import * as z from 'zod';

/**
 * The seven Integra events (DESIGN section 5; the seed's "On call in" … "On busy"). The names are
 * the values of `!02`, so scripts written for the Windows UI keep working.
 */
export const INTEGRA_EVENTS = ['CALL_IN', 'CALL_FORWARD_IN', 'CALL_OUT', 'CALL_ACCEPT', 'CALL_CLOSE', 'CALL_ACTIVE', 'CALL_BUSY'] as const;
export const integraEventSchema = z.enum(INTEGRA_EVENTS);
export type IntegraEventName = z.infer<typeof integraEventSchema>;
