import * as z from 'zod';
import { callIdSchema, callInfoSchema, dialSourceSchema } from './call';
import { defineMethod } from './define';

/**
 * Attended transfer (issue 17). Each takes the caller's call id, or none: the one call with a
 * transfer in progress (consult: the first active call). Each answers the caller's call, whose
 * `transfer` says where the transfer stands; `call.transfer` stays the blind transfer.
 */
const callResult = z.lazy(() => z.object({ call: callInfoSchema }));

/** Holds the caller and calls the target; answers once the INVITE to the target is on its way. */
export const consult = defineMethod({
  method: 'call.consult',
  direction: 'to-host',
  since: 2,
  params: () => z.strictObject({ id: callIdSchema.optional(), target: z.string().min(1).max(128), source: dialSourceSchema.optional() }),
  result: () => callResult,
});

/** REFER with Replaces on the caller's leg; answers once the REFER is sent (the NOTIFYs follow as `call` events). */
export const complete = defineMethod({
  method: 'call.transferComplete',
  direction: 'to-host',
  since: 2,
  params: () => z.strictObject({ id: callIdSchema.optional() }).optional(),
  result: () => callResult,
});

/** Hangs up the consultation and resumes the caller. */
export const cancel = defineMethod({
  method: 'call.transferCancel',
  direction: 'to-host',
  since: 2,
  params: () => z.strictObject({ id: callIdSchema.optional() }).optional(),
  result: () => callResult,
});
