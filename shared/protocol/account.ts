import { z } from 'zod';
import { defineMethod } from './define';
import { registrationSchema } from './session';

export const wsUrlSchema = z
  .string()
  .max(512)
  .refine((v) => /^wss?:\/\/[^\s/]+/i.test(v), 'must be a ws:// or wss:// URL');

/** SIP account as stored by the host. Exactly one of password / ha1 is required to register. */
export const accountSchema = z.strictObject({
  /** Primary and optional backup WebSocket servers. */
  wsUrls: z.array(wsUrlSchema).min(1).max(2),
  /** Address of record, e.g. sip:1001@pbx.example. */
  uri: z
    .string()
    .max(256)
    .regex(/^sips?:[^@\s]+@[^\s@]+$/i, 'must be a sip: URI such as sip:1001@pbx.example'),
  authUser: z.string().min(1).max(128).optional(),
  password: z.string().max(256).optional(),
  /** Digest HA1 = md5(user:realm:password); preferred over a stored password. */
  ha1: z
    .string()
    .regex(/^[0-9a-f]{32}$/i, 'must be 32 hex digits')
    .optional(),
  realm: z.string().max(256).optional(),
  displayName: z.string().max(128).optional(),
  /** Own extension number shown to the user and used as Integra !00. */
  extension: z.string().max(32).optional(),
  /** Short label shown next to the registration state, e.g. "sandbox". */
  label: z.string().max(64).optional(),
});
export type Account = z.infer<typeof accountSchema>;

export const register = defineMethod({
  method: 'account.register',
  direction: 'to-host',
  since: 1,
  params: z.strictObject({}).optional(),
  result: registrationSchema,
});

export const unregister = defineMethod({
  method: 'account.unregister',
  direction: 'to-host',
  since: 1,
  params: z.strictObject({}).optional(),
  result: registrationSchema,
});
