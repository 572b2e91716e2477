import * as z from 'zod';
import { defineEvent, defineMethod } from './define';
import { contactMatchSchema } from './directory';

/** DESIGN section 4: the one id a user or script sees for a call (SIP Call-ID or a hash of it). */
export const callIdSchema = z.lazy(() => z.string().regex(/^[A-Za-z0-9._@+-]{1,128}$/, 'not a call id'));

export const callStateSchema = z.enum(['ringing-in', 'dialing', 'ringing-out', 'active', 'held', 'ended']);
export type CallState = z.infer<typeof callStateSchema>;

/** Where a dial request came from; pages and URL handlers are held to stricter rules. */
export const dialSourceSchema = z.enum(['popup', 'page', 'context-menu', 'cli', 'url', 'hotkey', 'history', 'notification']);
export type DialSource = z.infer<typeof dialSourceSchema>;

/** A caller-controlled display value: length-capped, never interpreted. */
const displayText = z.lazy(() => z.string().max(256));


/**
 * Why a call ended, as one closed vocabulary (issue 14): the host maps SIP statuses and JsSIP's
 * cause names to it once (native-host/src/sip/end-reason.ts); the popup's texts, the CLI's
 * sentences and the history's classification read only this (and the SIP status), never JsSIP's
 * words.
 */
export const callEndReasonSchema = z.enum([
  /** A BYE from either side after the answer (`originator` says who). */
  'hung-up',
  /** The caller gave up before the answer (CANCEL, 487). */
  'canceled',
  /** Nobody picked up (408, 480, JsSIP's no-answer timer, an INVITE's Expires). */
  'no-answer',
  'busy',
  'declined',
  'not-found',
  /** The far end is not reachable and no SIP status said more. */
  'unavailable',
  'incomplete',
  'redirected',
  /** The PBX refused our credentials for the call. */
  'auth',
  /** No audio codec in common (488, 606, an SDP JsSIP could not use). */
  'no-codec',
  /** The PBX could not be reached or the connection dropped, with no SIP status. */
  'network',
  /** No browser with the extension was connected to carry the audio. */
  'no-browser',
  'no-microphone',
  /** The browser refused the microphone (the user, or a policy). */
  'microphone-denied',
  /** Another program holds the microphone. */
  'microphone-busy',
  /** The browser's peer connection failed for another reason. */
  'media-error',
  /** Turned down as busy because do-not-disturb was on. */
  'dnd',
  /** Anything else: a protocol failure or a PBX refusal (see the SIP status). */
  'failed',
]);
export type CallEndReason = z.infer<typeof callEndReasonSchema>;

export const callEndSchema = z.lazy(() => z.object({
  originator: z.enum(['local', 'remote', 'system']),
  reason: callEndReasonSchema,
  /**
   * The raw JsSIP cause (Busy, Canceled, BYE, …): kept on the wire for protocol-1 clients and
   * support logs only; nothing in this product decides or says anything from it.
   */
  cause: z.string().max(64),
  /** Final SIP status when one ended the call. */
  code: z.number().int().optional(),
}));
export type CallEnd = z.infer<typeof callEndSchema>;

/** Why an attended transfer did not go through (issue 17); the popup translates each. */
export const transferFailureSchema = z.enum(['target-busy', 'target-unavailable', 'target-hung-up', 'refer-refused']);
export type TransferFailure = z.infer<typeof transferFailureSchema>;

/**
 * An attended transfer of this call (the caller's leg): see native-host/src/sip/attended-transfer-state.ts.
 * `consultId` is the call to the target while there is one. `code`: the SIP status of the failure.
 */
export const callTransferSchema = z.lazy(() => z.object({
  target: displayText,
  consultId: callIdSchema.optional(),
  phase: z.enum(['consulting', 'talking', 'completing', 'done', 'failed']),
  failure: transferFailureSchema.optional(),
  code: z.number().int().optional(),
}));
export type CallTransfer = z.infer<typeof callTransferSchema>;

export const callInfoSchema = z.lazy(() => z.object({
  id: callIdSchema,
  direction: z.enum(['in', 'out']),
  state: callStateSchema,
  remote: z.object({ number: displayText, name: displayText.optional(), uri: displayText }),
  /** The external id of `voispeed:{n},{ext_ID}`. */
  extId: displayText.optional(),
  /**
   * Who the far end is (issue 18): absent at first, set by a later `call` event once the contacts,
   * LDAP or CRM lookup answered (never delaying the ring). Since protocol 1, additive.
   */
  contact: contactMatchSchema.optional(),
  muted: z.boolean(),
  /** Held by us (re-INVITE sendonly) — distinct from the far end holding us. */
  onHold: z.boolean(),
  remoteHold: z.boolean(),
  startedAt: z.number(),
  answeredAt: z.number().optional(),
  endedAt: z.number().optional(),
  end: callEndSchema.optional(),
  /**
   * Intercom (issue 17): the incoming INVITE asked to be answered after this many ms (Call-Info
   * answer-after, Alert-Info auto answer), auto-answer is on and no other call was up. The
   * extension answers it once the microphone permission is granted; otherwise it just rings.
   */
  autoAnswerAfterMs: z.number().int().min(0).max(60_000).optional(),
  /** This call is being (or was) transferred with a consultation first. */
  transfer: callTransferSchema.optional(),
  /** This call is the consultation of an attended transfer of that call. */
  consultFor: callIdSchema.optional(),
  /** In a 3-way conference with these calls (issue 17): mixed in the browser. */
  merged: z.array(callIdSchema).max(8).optional(),
  /** Every far end this call was ever in a conference with (numbers), for the history. */
  conferenceWith: z.array(displayText).max(8).optional(),
}));
export type CallInfo = z.infer<typeof callInfoSchema>;

const byId = z.lazy(() => z.strictObject({ id: callIdSchema }));
const maybeById = z.lazy(() => z.strictObject({ id: callIdSchema.optional() }).optional());
const callResult = z.lazy(() => z.object({ call: callInfoSchema }));

export const dial = defineMethod({
  method: 'call.dial',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({
    number: z.string().min(1).max(128),
    extId: z.string().min(1).max(64).optional(),
    source: dialSourceSchema,
  }),
  result: () => callResult,
});

export const answer = defineMethod({ method: 'call.answer', direction: 'to-host', since: 1, params: () => byId, result: () => callResult });
export const decline = defineMethod({ method: 'call.decline', direction: 'to-host', since: 1, params: () => byId, result: () => callResult });
/** Without an id: the first call (DESIGN section 6, `voispeed:D`). */
export const hangup = defineMethod({ method: 'call.hangup', direction: 'to-host', since: 1, params: () => maybeById, result: () => callResult });

export const hold = defineMethod({
  method: 'call.hold',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ id: callIdSchema, hold: z.boolean() }),
  result: () => callResult,
});

export const mute = defineMethod({
  method: 'call.mute',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ id: callIdSchema, mute: z.boolean() }),
  result: () => callResult,
});

export const dtmf = defineMethod({
  method: 'call.dtmf',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ id: callIdSchema, tones: z.string().regex(/^[0-9A-D#*,]{1,32}$/i, 'DTMF tones are 0-9 A-D * # ,') }),
  result: () => callResult,
});

/** Blind transfer (REFER); without an id, the first active call. */
export const transfer = defineMethod({
  method: 'call.transfer',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ id: callIdSchema.optional(), target: z.string().min(1).max(128) }),
  result: () => callResult,
});

export const list = defineMethod({
  method: 'call.list',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({}).optional(),
  result: () => z.object({ calls: z.array(callInfoSchema) }),
});

/**
 * A parsed `voispeed:` C, D or F command (shared/voispeed-url), executed by the host in one place
 * for the CLI, the OS URL handler and page links: exactly what `call.dial`, `call.hangup` and
 * `call.transfer` do. `voispeed:U` is never executed: it only becomes an `account.propose`.
 */
export const voispeedCommandSchema = z.lazy(() => z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('call'), number: z.string().min(1).max(128), extId: z.string().min(1).max(64).optional() }),
  z.strictObject({ kind: z.literal('hangup'), callId: callIdSchema.optional() }),
  z.strictObject({ kind: z.literal('forward'), target: z.string().min(1).max(128), callId: callIdSchema.optional() }),
]));
export type VoispeedCallCommand = z.infer<typeof voispeedCommandSchema>;

export const runCommand = defineMethod({
  method: 'voispeed.run',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ command: voispeedCommandSchema, source: z.enum(['cli', 'url', 'page', 'context-menu']) }),
  result: () => callResult,
});

/** Every change of any call, including the final `ended` one. */
export const callChanged = defineEvent({ event: 'call', direction: 'to-extension', since: 1, data: () => callInfoSchema });
