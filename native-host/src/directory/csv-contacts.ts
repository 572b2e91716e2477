import { parse } from 'csv-parse/sync';
import { numberForms } from '../../../shared/phone/number-forms';
import { cleanText, type Contact, type ImportResult } from './contact';

/**
 * Contacts from a CSV export: Outlook ("First Name", "Last Name", "Company", "Business Phone",
 * "Mobile Phone", … and the Italian "Nome", "Cognome", "Società", "Cellulare", …) and Google
 * ("Name" or "First Name"/"Last Name", "Organization Name" or "Organization 1 - Name",
 * "Phone 1 - Value" holding several numbers joined by " ::: "). A record that cannot be read is
 * reported by the line it starts on; the records after it are still read.
 */
export function parseCsvContacts(text: string): ImportResult {
  const problems: ImportResult['problems'] = [];
  const contacts: Contact[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const header = firstRecord(lines[0] ?? '');
  if (!header || header.length < 2) return { contacts, problems: [{ line: 1, reason: 'no header line with column names' }] };
  const columns = header.map((h) => h.trim());
  let start = 1;
  // A broken record (an unclosed quote swallows the rest of the file) is reported and reading
  // starts again on the line after it.
  while (start < lines.length) {
    const failure = parseFrom(lines, start, columns, contacts, problems);
    if (failure === undefined) break;
    problems.push({ line: failure + 1, reason: 'unreadable CSV record (unbalanced quotes)' });
    start = failure + 1;
  }
  return { contacts, problems };
}

function firstRecord(line: string): string[] | undefined {
  try {
    return (parse(line, { relax_quotes: true, relax_column_count: true }) as string[][])[0];
  } catch {
    return undefined;
  }
}

/** Reads records from line index `start`; returns the index of the line a broken record starts on. */
function parseFrom(lines: string[], start: number, columns: string[], out: Contact[], problems: ImportResult['problems']): number | undefined {
  let lastEnd = start;
  let broken: number | undefined;
  parse(lines.slice(start).join('\n'), {
    columns,
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: true,
    skip_records_with_error: true,
    // Called as each record is read, so a later skip knows where the good records ended.
    on_record: (record: Record<string, string>, context: { lines: number }) => {
      const line = lastEnd + 1;
      lastEnd = start + context.lines;
      const read = contactOf(record);
      if (typeof read === 'string') problems.push({ line: firstLineOf(lines, line, lastEnd), reason: read });
      else out.push(read);
      return null;
    },
    on_skip: (err) => {
      if (err && /QUOTE_NOT_CLOSED/.test(String((err as { code?: string }).code))) broken = firstLineOf(lines, lastEnd + 1, lines.length) - 1;
    },
  });
  return broken;
}

/** The 1-based line a record starts on (blank lines before it skipped). */
function firstLineOf(lines: string[], from: number, to: number): number {
  for (let i = from; i <= to; i++) if ((lines[i - 1] ?? '').trim() !== '') return i;
  return from;
}

const PHONE_COLUMN = /phone|mobile|tel|cell|cellulare|telefono|abitazione|ufficio|cercapersone|pager|^value$/i;
const NOT_PHONE = /fax|type|label|e-?mail/i;

function contactOf(r: Record<string, string>): Contact | string {
  const get = (...names: string[]) => {
    for (const n of names) {
      const v = cleanText(r[n]);
      if (v) return v;
    }
    return undefined;
  };
  const company = get('Company', 'Organization Name', 'Organization 1 - Name', 'Società', 'Societa');
  const parts = [get('First Name', 'Given Name', 'Nome'), get('Middle Name', 'Additional Name', 'Secondo nome'), get('Last Name', 'Family Name', 'Cognome')].filter(Boolean);
  const name = get('Name', 'Display Name', 'Full Name', 'Nome visualizzato') ?? (parts.length ? parts.join(' ') : company);
  if (!name) return 'no name';
  const numbers: Contact['numbers'] = [];
  for (const [column, value] of Object.entries(r)) {
    if (!value || !PHONE_COLUMN.test(column) || NOT_PHONE.test(column)) continue;
    const labelColumn = column.replace(/Value$/, 'Label');
    const label = cleanText(labelColumn !== column ? (r[labelColumn] ?? r[column.replace(/Value$/, 'Type')]) : column, 64);
    for (const one of value.split(':::')) {
      const n = one.trim();
      if (n && numberForms(n) && !numbers.some((x) => x.number === n)) numbers.push({ number: n.slice(0, 64), ...(label ? { label } : {}) });
    }
  }
  if (numbers.length === 0) return `no phone number for ${name.slice(0, 60)}`;
  return { name, ...(company && company !== name ? { company } : {}), numbers: numbers.slice(0, 8) };
}
