import type { ImportProblem } from '../../../shared/protocol';

/** A local contact as stored in the state folder (contacts.json). */
export interface Contact {
  name: string;
  company?: string;
  numbers: { number: string; label?: string }[];
}

/** What an import file gave: the contacts read, and each line that could not be. */
export interface ImportResult {
  contacts: Contact[];
  problems: ImportProblem[];
}

const CONTROL = /[\u0000-\u001f\u007f]+/g;

/** Text from a file for a name or company: one line, trimmed, capped. */
export function cleanText(value: unknown, max = 128): string | undefined {
  if (typeof value !== 'string') return undefined;
  const clean = value.replace(CONTROL, ' ').replace(/\s+/g, ' ').trim().slice(0, max);
  return clean || undefined;
}
