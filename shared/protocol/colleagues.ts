import * as z from 'zod';
import { callInfoSchema } from './call';
import { defineEvent, defineMethod } from './define';

/** An extension the user watches: digits, letters and `. _ - +` (a SIP user part, no domain). */
export const colleagueExtSchema = z.lazy(() => z.string().regex(/^[A-Za-z0-9._+-]{1,32}$/, 'an extension such as 1002 (letters, digits, . _ - +)'));

/**
 * A colleague's lamp, from the `dialog` event package (RFC 4235): `idle` (no call), `ringing` (a
 * call is ringing at the colleague), `on-call` (talking, or dialling out), `offline` (the PBX
 * refused to tell: unknown extension, no presence server, or the watch failed and is being
 * retried), `unknown` (not heard yet, or we are not registered).
 */
export const colleagueLampSchema = z.enum(['idle', 'ringing', 'on-call', 'offline', 'unknown']);
export type ColleagueLamp = z.infer<typeof colleagueLampSchema>;

export const colleagueCallerSchema = z.lazy(() => z.object({
  number: z.string().max(64),
  name: z.string().max(100).optional(),
}));
export type ColleagueCaller = z.infer<typeof colleagueCallerSchema>;

export const colleagueSchema = z.lazy(() => z.object({
  ext: colleagueExtSchema,
  lamp: colleagueLampSchema,
  /** Who is calling the colleague, while ringing and where the PBX says it. */
  caller: colleagueCallerSchema.optional(),
  /** When the lamp last changed (host clock, ms). */
  since: z.number(),
}));
export type Colleague = z.infer<typeof colleagueSchema>;

/** The most colleagues watched at once; the rest of the list waits (and the UI says so). */
export const MAX_COLLEAGUES = 100;

export const colleaguesViewSchema = z.lazy(() => z.object({
  colleagues: z.array(colleagueSchema).max(MAX_COLLEAGUES),
  /** How many extensions the options list; more than MAX_COLLEAGUES: only the first ones are watched. */
  requested: z.number().int().nonnegative(),
}));
export type ColleaguesView = z.infer<typeof colleaguesViewSchema>;

export const list = defineMethod({
  method: 'colleagues.list',
  direction: 'to-host',
  since: 2,
  params: () => z.strictObject({}).optional(),
  result: () => colleaguesViewSchema,
});

/**
 * Takes the call ringing at a colleague: with the configured feature code when there is one
 * (`**{ext}`, `*8`), otherwise an INVITE with Replaces built from the colleague's dialog info.
 * COLLEAGUE_NOT_RINGING when nothing rings there (any more).
 */
export const pickup = defineMethod({
  method: 'colleagues.pickup',
  direction: 'to-host',
  since: 2,
  params: () => z.strictObject({ ext: colleagueExtSchema }),
  result: () => z.object({ call: callInfoSchema }),
});

/** A lamp changed (the whole view: a hundred small entries at most). */
export const colleaguesChanged = defineEvent({
  event: 'colleagues',
  direction: 'to-extension',
  since: 2,
  data: () => colleaguesViewSchema,
});
