import type { HistoryRecord } from '../../../shared/protocol';

export const CSV_HEADER = ['start', 'direction', 'number', 'name', 'result', 'duration_s', 'ext_id', 'call_id', 'end_cause', 'sip_code'];

/**
 * One CSV field. A value a spreadsheet would run as a formula (it starts with = + - @, or a tab
 * or CR that some programs strip first) gets a leading apostrophe (OWASP "CSV injection"); then
 * RFC 4180: quoted when it holds a quote, comma, CR or LF, quotes doubled.
 */
export function csvField(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvRow(fields: (string | number | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/** Local time with its UTC offset, e.g. 2026-11-26T14:15:26+01:00: unambiguous and sortable. */
export function isoLocal(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(Math.trunc(Math.abs(n))).padStart(2, '0');
  const off = -d.getTimezoneOffset();
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}${off >= 0 ? '+' : '-'}${two(off / 60)}:${two(off % 60)}`;
}

export function recordRow(r: HistoryRecord): string {
  return csvRow([
    isoLocal(r.startedAt),
    r.direction === 'in' ? 'incoming' : 'outgoing',
    r.number,
    r.name,
    r.result,
    Math.round(r.durationMs / 1000),
    r.extId,
    r.id,
    r.cause,
    r.code,
  ]);
}
