import * as z from 'zod';
import { defineEvent, defineMethod } from './define';

/** The first request on every connection; anything else before it gets HANDSHAKE_REQUIRED. */
export const hello = defineMethod({
  method: 'hello',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({
    protocol: z.number().int().positive(),
    app: z.string().max(32),
    client: z.enum(['extension', 'cli']),
    browser: z.string().max(32).optional(),
  }),
  result: () => z.object({
    protocol: z.number().int(),
    app: z.string(),
    pid: z.number().int(),
    /** 'secondary' when another host of this user already owns the account and socket. */
    role: z.enum(['primary', 'secondary']),
  }),
});

export const registrationStateSchema = z.enum([
  'unconfigured',
  'connecting',
  'registered',
  'unregistered',
  'failed',
]);
export type RegistrationState = z.infer<typeof registrationStateSchema>;

export const registrationSchema = z.lazy(() => z.object({
  state: registrationStateSchema,
  /** Account summary; never carries a secret. */
  account: z
    .object({
      aor: z.string(),
      extension: z.string(),
      label: z.string().optional(),
      server: z.string(),
    })
    .optional(),
  /** Why the state is not 'registered', in JsSIP's words (e.g. "Authentication Error"); for people and logs. */
  cause: z.string().optional(),
  /** The protocol error code behind the state, when one explains it (2004 ALREADY_RUNNING): what clients decide on. */
  code: z.number().int().optional(),
  since: z.number(),
}));
export type Registration = z.infer<typeof registrationSchema>;

export const hostInfoSchema = z.lazy(() => z.object({
  pid: z.number().int(),
  app: z.string(),
  protocol: z.number().int(),
  role: z.enum(['primary', 'secondary']),
  /** Pid of the primary host when this one is secondary. */
  primaryPid: z.number().int().optional(),
  uptimeMs: z.number(),
  home: z.string(),
  /** Process memory in bytes, for `status --json` and leak benchmarks. */
  memory: z.object({ rss: z.number(), heapUsed: z.number(), heapTotal: z.number() }).optional(),
}));
export type HostInfo = z.infer<typeof hostInfoSchema>;

export const statusResultSchema = z.lazy(() => z.object({
  host: hostInfoSchema,
  registration: registrationSchema,
}));
export type StatusResult = z.infer<typeof statusResultSchema>;

export const status = defineMethod({
  method: 'status',
  direction: 'to-host',
  since: 1,
  /** `gc`: collect garbage first when the host runs with --expose-gc (leak benchmarks only). */
  params: () => z.strictObject({ gc: z.boolean().optional() }).optional(),
  result: () => statusResultSchema,
});

export const ping = defineMethod({
  method: 'ping',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ t: z.number().optional() }).optional(),
  result: () => z.object({ t: z.number().optional() }),
});

export const registrationChanged = defineEvent({
  event: 'registration',
  direction: 'to-extension',
  since: 1,
  data: () => registrationSchema,
});

export const hostChanged = defineEvent({
  event: 'host',
  direction: 'to-extension',
  since: 1,
  data: () => hostInfoSchema,
});
