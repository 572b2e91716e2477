import type { NumberForms } from '../../../shared/phone/number-forms';

/**
 * RFC 4515 section 3: in an assertion value `*`, `(`, `)`, `\` and NUL are written as `\2a`,
 * `\28`, `\29`, `\5c`, `\00`, so a caller id or a typed word is only ever a value (`*)(uid=*`
 * finds nothing instead of everything).
 */
export function escapeFilterValue(value: string): string {
  return value.replace(/[\\*()\u0000]/g, (c) => `\\${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * The administrator's filter template with the number in its forms: `{e164}`, `{national}`,
 * `{number}` (as dialled). One pass: a value never brings in another placeholder. A form the
 * number lacks (an extension has no E.164 form) is the number as dialled.
 */
export function numberFilter(template: string, forms: NumberForms): string {
  const values: Record<string, string> = { e164: forms.e164 ?? forms.asDialled, national: forms.national ?? forms.asDialled, number: forms.asDialled };
  return template.replace(/\{(e164|national|number)\}/g, (_, k: string) => escapeFilterValue(values[k] ?? ''));
}

/** A name search: the template once per typed word (`{word}`), ANDed. */
export function searchFilter(template: string, words: readonly string[]): string {
  const parts = words.map((w) => template.replace(/\{word\}/g, () => escapeFilterValue(w)));
  return parts.length === 1 ? parts[0]! : `(&${parts.join('')})`;
}
