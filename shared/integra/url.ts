import { hasPlaceholder, substitute, type PlaceholderValues } from './placeholders';
import { encodePercent } from '../text/percent';

const URL_TEMPLATE = /^(https?):\/\/([^/?#\\]*)(.*)$/is;

export class UrlRuleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UrlRuleError';
  }
}

/** Is this text an http(s) URL template (what a URL rule or a copied seed command holds)? */
export function looksLikeUrl(text: string): boolean {
  return /^https?:\/\/\S+$/i.test(text.trim());
}

/**
 * Why a URL template cannot be saved, or undefined. The scheme and the authority (user info, host,
 * port) must be literal: a caller-controlled value there could send the CRM query, with the
 * caller's number, to a host of the caller's choosing.
 */
export function urlTemplateProblem(template: string): string | undefined {
  return urlTemplateProblemOf(template)?.message;
}

/** Why a rule's template cannot be saved: a code the options page translates, and the English message. */
export const TEMPLATE_PROBLEM_REASONS = ['scheme', 'host-part', 'no-host', 'bad-host', 'spaces', 'program', 'no-program', 'nul'] as const;
export interface TemplateProblem {
  reason: (typeof TEMPLATE_PROBLEM_REASONS)[number];
  message: string;
}

/** urlTemplateProblem with its reason code. */
export function urlTemplateProblemOf(template: string): TemplateProblem | undefined {
  const m = URL_TEMPLATE.exec(template.trim());
  if (!m) return { reason: 'scheme', message: 'a URL rule must start with http:// or https://' };
  const authority = m[2]!;
  if (hasPlaceholder(authority)) return { reason: 'host-part', message: `a placeholder in the host part of a URL is refused (${authority}); put it in the path or the query` };
  if (authority === '') return { reason: 'no-host', message: 'the URL has no host' };
  let parsed: URL;
  try {
    parsed = new URL(`${m[1]}://${authority}/`);
  } catch {
    return { reason: 'bad-host', message: `not a valid host: ${authority.slice(0, 100)}` };
  }
  if (!parsed.hostname) return { reason: 'no-host', message: 'the URL has no host' };
  if (/\s/.test(template.trim())) return { reason: 'spaces', message: 'a URL cannot contain spaces; write %20' };
  return undefined;
}

/** Each value `encodeURIComponent`-ed into the path/query; only http/https on the template's own host. */
export function buildUrl(template: string, values: PlaceholderValues): string {
  const problem = urlTemplateProblem(template);
  if (problem) throw new UrlRuleError(problem);
  const m = URL_TEMPLATE.exec(template.trim())!;
  const head = `${m[1]}://${m[2]}`;
  const url = head + substitute(m[3]!, values, encodePercent);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UrlRuleError('the URL is not valid once filled in');
  }
  const expected = new URL(`${head}/`);
  if ((parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.host !== expected.host) {
    throw new UrlRuleError('the filled-in URL leaves the template’s host');
  }
  return parsed.href;
}
