import * as z from 'zod';
import { integraEventSchema } from '../integra/events';
import { templateProblemOf } from '../integra/plan';

/**
 * Integra (DESIGN section 5): rules that run a command or open a URL on call events. The seed's
 * single "command to execute" with its event boxes is one rule; a command that is a bare URL or a
 * browser followed by one (`iexplore http://…`) opens in this browser.
 */
export const integraRuleSchema = z.lazy(() => z
  .strictObject({
    id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'a rule id is 1–40 letters, digits, _ or -'),
    enabled: z.boolean().default(true),
    events: z.array(integraEventSchema).min(1, 'pick at least one event').max(7),
    action: z.enum(['command', 'url']),
    template: z.string().trim().min(1, 'the rule is empty').max(2048),
  })
  .superRefine((rule, ctx) => {
    const problem = templateProblemOf(rule);
    // The reason travels as a code: the options page translates it, never the English message.
    if (problem) ctx.addIssue({ code: 'custom', path: ['template'], message: problem.message, params: { reason: problem.reason } });
  }));
export type IntegraRule = z.infer<typeof integraRuleSchema>;

/** Internal calls: up to 4 digits (a named user on our own SIP domain is internal too). */
export const DEFAULT_INTERNAL_PATTERN = '^[0-9]{1,4}$';

/** The rule list on its own (a managed policy may set it: shared/settings/managed.ts). */
export const integraRulesSchema = z.lazy(() => z.array(integraRuleSchema).max(20, 'at most 20 rules'));

export const patternSchema = z.lazy(() => z
  .string()
  .max(200)
  .refine((p) => {
    try {
      new RegExp(p);
      return true;
    } catch {
      return false;
    }
  }, 'not a valid regular expression'));

const strictSchema = z.lazy(() => z
  .strictObject({
    enabled: z.boolean().default(false),
    /** The seed's "Only on external calls": calls between extensions run no rule. */
    onlyExternal: z.boolean().default(false),
    /** A regular expression on the remote number that marks a call as internal. */
    internalPattern: patternSchema.default(DEFAULT_INTERNAL_PATTERN),
    rules: integraRulesSchema.default([]),
  })
  .superRefine((s, ctx) => {
    const seen = new Set<string>();
    s.rules.forEach((r, i) => {
      if (seen.has(r.id)) ctx.addIssue({ code: 'custom', path: ['rules', i, 'id'], message: `two rules have the id ${r.id}` });
      seen.add(r.id);
    });
  }));

/** The Windows UI's shape (`command` + event boxes) becomes the first rule. */
function fromSeedShape(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || !('command' in value) || 'rules' in value) return value;
  const { command, events, ...rest } = value as { command: unknown; events?: unknown };
  if (typeof command !== 'string' || command.trim() === '') return rest;
  return { ...rest, rules: [{ id: 'seed', enabled: true, events, action: 'command', template: command }] };
}

export const integraSettingsSchema = z.lazy(() => z.preprocess(fromSeedShape, strictSchema));
export type IntegraSettings = z.infer<typeof strictSchema>;
let defaultIntegraValue: IntegraSettings | undefined;
/** The section with every default filled in (its schema's), built on first use: one shared object, never changed. */
export const defaultIntegra = (): IntegraSettings => (defaultIntegraValue ??= strictSchema.parse({}));
