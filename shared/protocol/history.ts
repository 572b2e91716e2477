import * as z from 'zod';
import { callEndReasonSchema, callIdSchema } from './call';
import { defineEvent, defineMethod } from './define';

/** How a call ended, as the Recent list and the CSV say it. */
export const historyResultSchema = z.enum(['answered', 'missed', 'busy', 'declined', 'failed']);
export type HistoryResult = z.infer<typeof historyResultSchema>;

const displayText = z.lazy(() => z.string().max(256));

/** One finished call, as the host journals it (issue 8). */
export const historyRecordSchema = z.lazy(() => z.object({
  /** Increasing per history file; "seen" and paging count by it. */
  seq: z.number().int().nonnegative(),
  id: callIdSchema,
  direction: z.enum(['in', 'out']),
  number: displayText,
  name: displayText.optional(),
  /** The caller's company and CRM page, when a lookup found them (issue 18). */
  company: displayText.optional(),
  link: z.string().max(2048).optional(),
  /** The external id of `voispeed:{n},{ext_ID}`. */
  extId: displayText.optional(),
  startedAt: z.number(),
  answeredAt: z.number().optional(),
  endedAt: z.number(),
  /** Talk time (answer to end); 0 when never answered. */
  durationMs: z.number().nonnegative(),
  result: historyResultSchema,
  /** Why it ended (absent in records journaled before it existed: the host fills it in on reading). */
  reason: callEndReasonSchema.optional(),
  /** JsSIP's raw end cause, for support (the CSV's end_cause); nothing decides from it. */
  cause: z.string().max(64).optional(),
  code: z.number().int().optional(),
  /** Rejected as busy because do-not-disturb was on. */
  dnd: z.boolean().optional(),
  /** Handed on by an attended transfer (issue 17): the target. */
  transferredTo: displayText.optional(),
  /** Joined in a 3-way conference (issue 17): the other far ends' numbers. */
  conferenceWith: z.array(displayText).max(8).optional(),
}));
export type HistoryRecord = z.infer<typeof historyRecordSchema>;

const summary = { unseenMissed: z.number().int().nonnegative(), total: z.number().int().nonnegative() };

/** The newest records first; `before` pages back by seq. */
export const list = defineMethod({
  method: 'history.list',
  direction: 'to-host',
  since: 1,
  params: () => z
    .strictObject({ limit: z.number().int().min(1).max(1000).optional(), before: z.number().int().nonnegative().optional() })
    .optional(),
  result: () => z.object({ records: z.array(historyRecordSchema), ...summary }),
});

/**
 * The history as CSV (RFC 4180, CRLF, formula-injection escaped), oldest first, in parts that
 * fit a native-messaging frame: the first part has the header; ask again with `after: next`
 * until `next` is absent.
 */
export const exportCsv = defineMethod({
  method: 'history.export',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ after: z.number().int().min(-1).optional() }).optional(),
  result: () => z.object({ csv: z.string(), count: z.number().int(), next: z.number().int().optional() }),
});

/** Missed calls up to `upTo` (default: all) count as seen: the badge stops counting them. */
export const markSeen = defineMethod({
  method: 'history.markSeen',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ upTo: z.number().int().nonnegative().optional() }).optional(),
  result: () => z.object(summary),
});

/** After a record is on disk (`added`), and when the unseen count changes. */
export const historyChanged = defineEvent({
  event: 'history',
  direction: 'to-extension',
  since: 1,
  data: () => z.object({ added: historyRecordSchema.optional(), ...summary }),
});
