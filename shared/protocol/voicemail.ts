import * as z from 'zod';
import { callInfoSchema } from './call';
import { defineEvent, defineMethod } from './define';

/**
 * Voicemail waiting (RFC 3842 message-summary): from our subscription's NOTIFYs and from the
 * unsolicited NOTIFYs many PBXs send instead. `known: false` until the PBX said anything.
 */
export const voicemailStateSchema = z.lazy(() => z.object({
  known: z.boolean(),
  waiting: z.boolean(),
  /** Voice-Message: new/old (urgent ones are counted in these too). */
  newMessages: z.number().int().nonnegative(),
  oldMessages: z.number().int().nonnegative(),
  /** Message-Account: the mailbox URI the PBX named, the default number to call. */
  account: z.string().max(256).optional(),
  /** When the PBX last said something (host clock, ms). */
  since: z.number().optional(),
}));
export type VoicemailState = z.infer<typeof voicemailStateSchema>;

export const status = defineMethod({
  method: 'voicemail.status',
  direction: 'to-host',
  since: 2,
  params: () => z.strictObject({}).optional(),
  result: () => voicemailStateSchema,
});

/** Calls the voicemail: `preferences.voicemailNumber`, else the Message-Account; NO_ACCOUNT-like INVALID_PARAMS when neither. */
export const callVoicemail = defineMethod({
  method: 'voicemail.call',
  direction: 'to-host',
  since: 2,
  params: () => z.strictObject({}).optional(),
  result: () => z.object({ call: callInfoSchema }),
});

export const voicemailChanged = defineEvent({
  event: 'voicemail',
  direction: 'to-extension',
  since: 2,
  data: () => voicemailStateSchema,
});
