import * as z from 'zod';
import { callIdSchema, callInfoSchema } from './call';
import { defineMethod } from './define';

/** 3-way conference (issue 17). Each answers the calls involved, with `merged` saying who is mixed with whom. */
const callsResult = z.lazy(() => z.object({ calls: z.array(callInfoSchema) }));

/** Takes both calls off hold and mixes them in the browser; without ids, the two answered calls. */
export const merge = defineMethod({
  method: 'call.merge',
  direction: 'to-host',
  since: 2,
  params: () => z.strictObject({ ids: z.array(callIdSchema).min(2).max(2).optional() }).optional(),
  result: () => callsResult,
});

/** Un-mixes; every call but `id` (or the first merged) goes on hold. */
export const split = defineMethod({
  method: 'call.split',
  direction: 'to-host',
  since: 2,
  params: () => z.strictObject({ id: callIdSchema.optional() }).optional(),
  result: () => callsResult,
});
