import * as z from 'zod';
import type { ProtocolErrorShape } from './errors';

/**
 * The envelope shared by native messaging and the local control socket:
 * request `{id, method, params}`, reply `{id, result}` or `{id, error}`, push `{event, data}`.
 */
export const requestIdSchema = z.union([z.number().int().nonnegative(), z.string().min(1).max(64)]);
export type RequestId = z.infer<typeof requestIdSchema>;

export const requestSchema = z.strictObject({
  id: requestIdSchema,
  method: z.string().min(1).max(64),
  params: z.unknown().optional(),
});
export type Request = z.infer<typeof requestSchema>;

export const errorShapeSchema = z.object({
  code: z.number().int(),
  message: z.string(),
  data: z.unknown().optional(),
});

export const replySchema = z.union([
  z.strictObject({ id: requestIdSchema, result: z.unknown() }),
  z.strictObject({ id: requestIdSchema.nullable(), error: errorShapeSchema }),
]);

export const pushSchema = z.strictObject({ event: z.string().min(1).max(64), data: z.unknown() });

export type Reply =
  | { id: RequestId; result: unknown }
  | { id: RequestId | null; error: ProtocolErrorShape };
export type Push = { event: string; data: unknown };
export type Message = Request | Reply | Push;

export function isReply(m: unknown): m is Reply {
  return typeof m === 'object' && m !== null && 'id' in m && ('result' in m || 'error' in m);
}

export function isPush(m: unknown): m is Push {
  return typeof m === 'object' && m !== null && 'event' in m && !('id' in m);
}
