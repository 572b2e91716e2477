import * as z from 'zod';
import { defineEvent, defineMethod } from './define';
import { registrationSchema } from './session';
import { parseServer, SERVER_MAX_LENGTH } from '../sip-server/server-address';

/**
 * One server of the account: a WebSocket URL or a plain SIP server (shared/sip-server). The stored
 * key stays `wsUrls` although it now holds both kinds: settings files, managed policies and
 * `voispeed:U` links in the field already use that name, and widening the value breaks none of them.
 */
export const serverSchema = z
  .string()
  .max(SERVER_MAX_LENGTH)
  .superRefine((v, ctx) => {
    const r = parseServer(v);
    if (!r.ok) ctx.addIssue({ code: 'custom', message: r.reason });
  });
/** @deprecated the old name: servers are no longer only WebSocket URLs. */
export const wsUrlSchema = serverSchema;

/** SIP account as stored by the host. Exactly one of password / ha1 is required to register. */
export const accountSchema = z.lazy(() => z.strictObject({
  /** Primary and optional backup server: WebSocket URLs or SIP servers (see serverSchema). */
  wsUrls: z.array(serverSchema).min(1).max(2),
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
  /** A PEM file of CAs trusted for a TLS server besides the system store (a private PBX's CA). */
  tlsCaFile: z.string().min(1).max(1024).optional(),
}));
export type Account = z.infer<typeof accountSchema>;

export const register = defineMethod({
  method: 'account.register',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({}).optional(),
  result: () => registrationSchema,
});

export const unregister = defineMethod({
  method: 'account.unregister',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({}).optional(),
  result: () => registrationSchema,
});

/**
 * `voispeed:U` self-configuration (DESIGN section 6). A proposal is made by the CLI, the OS URL
 * handler or a trusted click on a page link; the host keeps it (a page can never forge one), the
 * extension shows it on its confirmation page, and only the user's Apply there changes the account.
 */

/** An account as the confirmation page shows it: never a password, never a whole HA1. */
export const accountViewSchema = z.lazy(() => z.object({
  user: z.string(),
  domain: z.string(),
  extension: z.string(),
  /** Servers (WebSocket URLs or SIP servers), primary first. */
  servers: z.array(z.string()),
  credential: z.enum(['password', 'ha1', 'none']),
  /** The first four hex digits of the HA1 followed by "…", enough to compare with what was sent. */
  ha1Hint: z.string().optional(),
}));
export type AccountView = z.infer<typeof accountViewSchema>;

export const proposalSourceSchema = z.enum(['cli', 'url', 'page']);
export type ProposalSource = z.infer<typeof proposalSourceSchema>;

export const proposalStateSchema = z.enum(['pending', 'applying', 'applied', 'failed', 'cancelled', 'expired']);
export type ProposalState = z.infer<typeof proposalStateSchema>;

export const accountProposalSchema = z.lazy(() => z.object({
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
}));
export type AccountProposal = z.infer<typeof accountProposalSchema>;

/** The fields of a parsed `voispeed:U…` command; the host checks them again with the URL grammar. */
export const configureParamsSchema = z.lazy(() => z.strictObject({
  user: z.string().min(1).max(64),
  domain: z.string().min(1).max(253),
  ha1: z.string().regex(/^[0-9a-f]{32}$/i, 'must be 32 hex digits'),
  extension: z.string().regex(/^[0-9]{1,16}$/),
  wsUrls: z.array(serverSchema).min(1).max(2),
  source: proposalSourceSchema,
}));

export const propose = defineMethod({
  method: 'account.propose',
  direction: 'to-host',
  since: 1,
  params: () => configureParamsSchema,
  result: () => z.object({ proposal: accountProposalSchema }),
});

/** Proposals the host still knows (pending and recently finished), for a restarted extension. */
export const proposals = defineMethod({
  method: 'account.proposals',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({}).optional(),
  result: () => z.object({ proposals: z.array(accountProposalSchema) }),
});

/**
 * The user pressed Apply: the host tries the new account while the old one stays registered, and
 * saves it only once it registered. Accepted only from the browser the host serves.
 */
export const apply = defineMethod({
  method: 'account.apply',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ id: z.string().max(64) }),
  result: () => z.object({ proposal: accountProposalSchema, registration: registrationSchema }),
});

export const cancel = defineMethod({
  method: 'account.cancel',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ id: z.string().max(64) }),
  result: () => z.object({ proposal: accountProposalSchema }),
});

/** Every change of a proposal; a new pending one makes the extension open its confirmation page. */
export const proposalChanged = defineEvent({
  event: 'account.proposal',
  direction: 'to-extension',
  since: 1,
  data: () => accountProposalSchema,
});
