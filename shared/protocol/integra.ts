import * as z from 'zod';
import { integraEventSchema } from '../integra/events';
import { TEMPLATE_PROBLEM_REASONS } from '../integra/url';
import { integraRuleSchema } from '../settings/integra';
import { defineEvent, defineMethod } from './define';

const planSchema = z.lazy(() => z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('url'), url: z.string() }),
  z.object({ kind: z.literal('command'), program: z.string(), args: z.array(z.string()), viaCmd: z.boolean() }),
  z.object({ kind: z.literal('error'), message: z.string(), reason: z.enum(TEMPLATE_PROBLEM_REASONS).optional() }),
]));

/** One execution of one rule for one event (the options page lists the last 50). */
export const executionSchema = z.lazy(() => z.object({
  seq: z.number().int(),
  /** When the event happened (host clock, ms). */
  at: z.number(),
  event: integraEventSchema,
  callId: z.string().max(128),
  ruleId: z.string().max(40),
  plan: planSchema,
  /** running → ok | failed | timeout | error (commands); opened | focused | error (URLs). */
  result: z.enum(['running', 'ok', 'failed', 'timeout', 'error', 'opened', 'focused']),
  exitCode: z.number().int().nullable().optional(),
  signal: z.string().max(16).nullable().optional(),
  message: z.string().max(500).optional(),
  /** Timings (host clock, ms): the INVITE (or dial) that started the call, the spawn, the end. */
  callStartedAt: z.number().optional(),
  startedAt: z.number().optional(),
  finishedAt: z.number().optional(),
}));
export type Execution = z.infer<typeof executionSchema>;

/**
 * Fires a sample event without running anything: what each matching rule would run or open.
 * With `rule`, that (unsaved) rule only; otherwise every enabled rule of the saved settings that
 * listens to `event`.
 */
export const test = defineMethod({
  method: 'integra.test',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({ event: integraEventSchema, rule: integraRuleSchema.optional() }),
  result: () => z.object({
    values: z.record(z.string(), z.string()),
    plans: z.array(z.object({ ruleId: z.string(), plan: planSchema })),
  }),
});

/** The last 50 executions, newest first. */
export const log = defineMethod({
  method: 'integra.log',
  direction: 'to-host',
  since: 1,
  params: () => z.strictObject({}).optional(),
  result: () => z.object({ entries: z.array(executionSchema) }),
});

/**
 * Host → extension: open this CRM page for this call, or focus the tab already open for it. The
 * reply says which; an error reply says why nothing opened. (Protocol 1 carried this as an
 * `integra.open` push answered by an `integra.opened` push with a token.)
 */
export const open = defineMethod({
  method: 'integra.open',
  direction: 'to-extension',
  since: 2,
  params: () => z.object({ url: z.string().max(8192), callId: z.string().max(128), ruleId: z.string().max(40), event: integraEventSchema }),
  result: () => z.object({ tab: z.enum(['created', 'focused']) }),
});

/** Every new or finished execution. */
export const executed = defineEvent({ event: 'integra.executed', direction: 'to-extension', since: 1, data: () => executionSchema });
