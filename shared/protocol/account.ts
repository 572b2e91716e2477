import { z } from 'zod';
import { defineEvent, defineMethod } from './define';
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

/**
 * `voispeed:U` self-configuration (DESIGN section 6). A proposal is made by the CLI, the OS URL
 * handler or a trusted click on a page link; the host keeps it (a page can never forge one), the
 * extension shows it on its confirmation page, and only the user's Apply there changes the account.
 */

/** An account as the confirmation page shows it: never a password, never a whole HA1. */
export const accountViewSchema = z.object({
  user: z.string(),
  domain: z.string(),
  extension: z.string(),
  /** WebSocket URLs, primary first. */
  servers: z.array(z.string()),
  credential: z.enum(['password', 'ha1', 'none']),
  /** The first four hex digits of the HA1 followed by "…", enough to compare with what was sent. */
  ha1Hint: z.string().optional(),
});
export type AccountView = z.infer<typeof accountViewSchema>;

export const proposalSourceSchema = z.enum(['cli', 'url', 'page']);
export type ProposalSource = z.infer<typeof proposalSourceSchema>;

export const proposalStateSchema = z.enum(['pending', 'applying', 'applied', 'failed', 'cancelled', 'expired']);
export type ProposalState = z.infer<typeof proposalStateSchema>;

export const accountProposalSchema = z.object({
  /** Unguessable, one-shot. */
  id: z.string().regex(/^[0-9a-f]{32}$/),
  source: proposalSourceSchema,
  createdAt: z.number(),
  expiresAt: z.number(),
  /** The account in use when the proposal was made (none on a first set-up). */
  current: accountViewSchema.optional(),
  next: accountViewSchema,
  state: proposalStateSchema,
  /** Why it failed, or as whom it registered. */
  message: z.string().optional(),
});
export type AccountProposal = z.infer<typeof accountProposalSchema>;

/** The fields of a parsed `voispeed:U…` command; the host checks them again with the URL grammar. */
export const configureParamsSchema = z.strictObject({
  user: z.string().min(1).max(64),
  domain: z.string().min(1).max(253),
  ha1: z.string().regex(/^[0-9a-f]{32}$/i, 'must be 32 hex digits'),
  extension: z.string().regex(/^[0-9]{1,16}$/),
  wsUrls: z.array(wsUrlSchema).min(1).max(2),
  source: proposalSourceSchema,
});

export const propose = defineMethod({
  method: 'account.propose',
  direction: 'to-host',
  since: 1,
  params: configureParamsSchema,
  result: z.object({ proposal: accountProposalSchema }),
});

/** Proposals the host still knows (pending and recently finished), for a restarted extension. */
export const proposals = defineMethod({
  method: 'account.proposals',
  direction: 'to-host',
  since: 1,
  params: z.strictObject({}).optional(),
  result: z.object({ proposals: z.array(accountProposalSchema) }),
});

/**
 * The user pressed Apply: the host tries the new account while the old one stays registered, and
 * saves it only once it registered. Accepted only from the browser the host serves.
 */
export const apply = defineMethod({
  method: 'account.apply',
  direction: 'to-host',
  since: 1,
  params: z.strictObject({ id: z.string().max(64) }),
  result: z.object({ proposal: accountProposalSchema, registration: registrationSchema }),
});

export const cancel = defineMethod({
  method: 'account.cancel',
  direction: 'to-host',
  since: 1,
  params: z.strictObject({ id: z.string().max(64) }),
  result: z.object({ proposal: accountProposalSchema }),
});

/** Every change of a proposal; a new pending one makes the extension open its confirmation page. */
export const proposalChanged = defineEvent({
  event: 'account.proposal',
  direction: 'to-extension',
  since: 1,
  data: accountProposalSchema,
});
