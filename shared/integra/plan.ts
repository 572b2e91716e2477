import type { IntegraRule } from '../settings/integra';
import { ArgvError, programWord, splitArgs, type Quoting } from './argv';
import { hasPlaceholder, substitute, type PlaceholderValues } from './placeholders';
import { buildUrl, looksLikeUrl, UrlRuleError, urlTemplateProblemOf, type TemplateProblem } from './url';

/**
 * Programs that only open their argument in a browser: the seed's own example is
 * `iexplore http://…?num_chiamante=!01`. Such a command opens the URL in this browser instead.
 */
const BROWSER_PROGRAMS = new Set([
  'iexplore', 'msedge', 'microsoft-edge', 'chrome', 'google-chrome', 'chromium', 'chromium-browser', 'firefox', 'brave',
  'brave-browser', 'opera', 'safari', 'start', 'explorer', 'xdg-open', 'open', 'sensible-browser', 'x-www-browser',
]);

function baseProgram(word: string): string {
  const base = word.split(/[\\/]/).pop() ?? word;
  return base.toLowerCase().replace(/\.(exe|com)$/, '');
}

/** How a rule acts: a URL rule, a command that is really a URL (seed compatibility), or a command. */
export function effectiveAction(rule: Pick<IntegraRule, 'action' | 'template'>): { action: 'url' | 'command'; template: string } {
  const template = rule.template.trim();
  if (rule.action === 'url') return { action: 'url', template };
  if (looksLikeUrl(template)) return { action: 'url', template };
  const program = programWord(template);
  const quotedProgram = /^["']/.test(template) ? program.length + 2 : program.length;
  const rest = template.slice(quotedProgram).trim().replace(/^"(.*)"$/s, '$1');
  if (BROWSER_PROGRAMS.has(baseProgram(program)) && looksLikeUrl(rest)) return { action: 'url', template: rest };
  return { action: 'command', template };
}

/** Why a rule's template cannot be saved, or undefined (checked on both sides by the schema). */
export function templateProblem(rule: Pick<IntegraRule, 'action' | 'template'>): string | undefined {
  return templateProblemOf(rule)?.message;
}

/** templateProblem with its reason code (the schema passes it on in the params). */
export function templateProblemOf(rule: Pick<IntegraRule, 'action' | 'template'>): TemplateProblem | undefined {
  const { action, template } = effectiveAction(rule);
  if (action === 'url') return urlTemplateProblemOf(template);
  if (hasPlaceholder(programWord(template))) return { reason: 'program', message: 'a placeholder in the program name is refused; pass values as arguments' };
  if (programWord(template) === '') return { reason: 'no-program', message: 'the command names no program' };
  if (template.includes('\u0000')) return { reason: 'nul', message: 'the command contains a NUL character' };
  return undefined;
}

export type Plan =
  | { kind: 'url'; url: string }
  | { kind: 'command'; program: string; args: string[]; viaCmd: boolean }
  | { kind: 'error'; message: string; reason?: TemplateProblem['reason'] };

/** .bat/.cmd can only run through cmd.exe, which cannot quote arbitrary text (NOTES-ENV). */
const BATCH = /\.(bat|cmd)$/i;
/** Characters cmd.exe interprets even inside double quotes, or that end the quoting. */
const CMD_UNSAFE = /["%!^&|<>()`\r\n\u0000]/;

/**
 * What one rule does with one event's values: split first, then substitute each argument once.
 * Nothing here runs anything; the host executes the plan, the options page shows it ("Test").
 */
export function planRule(rule: Pick<IntegraRule, 'action' | 'template'>, values: PlaceholderValues, quoting: Quoting): Plan {
  const problem = templateProblemOf(rule);
  if (problem) return { kind: 'error', message: problem.message, reason: problem.reason };
  const { action, template } = effectiveAction(rule);
  if (action === 'url') {
    try {
      return { kind: 'url', url: buildUrl(template, values) };
    } catch (err) {
      if (err instanceof UrlRuleError) return { kind: 'error', message: err.message };
      throw err;
    }
  }
  let words: string[];
  try {
    words = splitArgs(template, quoting);
  } catch (err) {
    if (err instanceof ArgvError) return { kind: 'error', message: err.message };
    throw err;
  }
  const [program, ...rest] = words;
  if (!program || hasPlaceholder(program)) return { kind: 'error', message: 'a placeholder in the program name is refused' };
  const args = rest.map((word) => substitute(word, values));
  const viaCmd = quoting === 'windows' && BATCH.test(program);
  if (viaCmd) {
    // Values are whitelisted already; this holds even if a whitelist is ever widened.
    const used = new Set(rest.flatMap((w) => [...w.matchAll(/!0([0-9])/g)].map((m) => `0${m[1]}` as keyof PlaceholderValues)));
    const bad = [...used].find((k) => CMD_UNSAFE.test(values[k]));
    if (bad) return { kind: 'error', message: `!${bad} holds characters a .bat/.cmd cannot receive safely (" % ! ^ & | < > ( ) or a line break)` };
    const quote = [program, ...args].find((a) => /["\r\n]/.test(a));
    if (quote !== undefined) return { kind: 'error', message: `a .bat/.cmd argument cannot contain a double quote or a line break: ${quote.slice(0, 80)}` };
  }
  if (args.some((a) => a.includes('\u0000'))) return { kind: 'error', message: 'an argument contains a NUL character' };
  return { kind: 'command', program, args, viaCmd };
}

/** The cmd.exe line for a batch file: every word double-quoted (values were checked above). */
export function cmdLine(program: string, args: string[]): string {
  return [program, ...args].map((a) => `"${a}"`).join(' ');
}
