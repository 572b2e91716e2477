import { describe, expect, it } from 'vitest';
import { formatEventTime, parseSipDate, placeholderValues, safeCallId, safeExtId, safeNumber, substitute, type PlaceholderValues } from './placeholders';

const values: PlaceholderValues = {
  '00': '1001',
  '01': '0261616161',
  '02': 'CALL_IN',
  '03': '0299999999',
  '04': '03/02/2001_04.05.06',
  '05': 'abc123@pbx',
  '06': '+390261616161',
  '07': '0288888888',
  '08': 'CRM-42',
  '09': 'Mario Rossi',
};

describe('placeholders', () => {
  it('replaces every placeholder !00–!09 with its value', () => {
    const template = PLACEHOLDERS();
    expect(substitute(template, values)).toBe('1001|0261616161|CALL_IN|0299999999|03/02/2001_04.05.06|abc123@pbx|+390261616161|0288888888|CRM-42|Mario Rossi');
  });

  it('is one pass: a value that holds a placeholder stays literal', () => {
    const v = { ...values, '01': '!02!05', '08': '!01' };
    expect(substitute('x=!01 y=!08 z=!02', v)).toBe('x=!02!05 y=!01 z=CALL_IN');
  });

  it('leaves !1, !10 as !1 + 0, and a lone ! alone', () => {
    expect(substitute('!1 ! !!00 !0x', values)).toBe('!1 ! !1001 !0x');
  });

  it('!09 is the caller name: kept as text (quotes, &, $), one line, capped', () => {
    const base = { event: 'CALL_IN' as const, time: 0 };
    expect(placeholderValues({ ...base, callerName: `O'Brien & "Figli" $(id)` })['09']).toBe(`O'Brien & "Figli" $(id)`);
    expect(placeholderValues({ ...base, callerName: 'Mario\u0000\nRossi' })['09']).toBe('Mario Rossi');
    expect(placeholderValues({ ...base, callerName: 'x'.repeat(300) })['09']).toHaveLength(128);
    expect(placeholderValues(base)['09']).toBe('');
  });

  it('passes each value through the encoder once', () => {
    expect(substitute('?n=!01&t=!04', { ...values, '01': 'a&b' }, encodeURIComponent)).toBe('?n=a%26b&t=03%2F02%2F2001_04.05.06');
  });

  it('!04 is dd/mm/yyyy_hh.mm.ss', () => {
    expect(formatEventTime(new Date(2001, 1, 3, 4, 5, 6))).toBe('03/02/2001_04.05.06');
    expect(formatEventTime(new Date(2026, 11, 31, 23, 59, 59))).toBe('31/12/2026_23.59.59');
  });

  it('reads the PBX Date header (RFC 1123, GMT) and refuses anything else', () => {
    expect(parseSipDate('Sat, 03 Feb 2001 04:05:06 GMT')).toBe(Date.UTC(2001, 1, 3, 4, 5, 6));
    for (const bad of [undefined, '', 'yesterday', '2001-02-03T04:05:06Z', 'Sat, 03 Feb 2001 04:05:06 CET', `Sat, 03 Feb 2001 04:05:06 GMT${' '.repeat(100)}x`]) {
      expect(parseSipDate(bad), String(bad)).toBeUndefined();
    }
  });

  it('whitelists network values: numbers [0-9+*#] up to 32, visual separators dropped, the rest empty', () => {
    expect(safeNumber('+39 (02) 6161-6161')).toBe('+390261616161');
    expect(safeNumber('*72#')).toBe('*72#');
    for (const bad of ['$(reboot)', '`id`', '02;rm -rf /', 'alice', '0２61', '1'.repeat(33), '12\u000034', '%PATH%', '\n123']) {
      expect(safeNumber(bad), JSON.stringify(bad)).toMatch(/^$|^[0-9+*#]+$/);
    }
    expect(safeNumber('$(reboot)')).toBe('');
    expect(safeNumber('12\u000034')).toBe('');
    expect(safeNumber('1'.repeat(33))).toBe('');
  });

  it('judges the whole value as received: a NUL, line break or tab empties it, nothing is cut off (issue 12)', () => {
    for (const bad of ['0261616161\u0000', '\u00000261616161', '0261616161\n', '\n123', '02\t61616161', '0261616161\r\n', '02\u00a061616161', '0261616161\u2028', '0261616161%PATH%', '0261616161%00']) {
      expect(safeNumber(bad), JSON.stringify(bad)).toBe('');
    }
    // Padding past the length limit cannot hide a payload behind a clean-looking start.
    expect(safeNumber(`0261616161${' '.repeat(250)}$(reboot)`)).toBe('');
    expect(safeNumber(`0261616161${' '.repeat(300)}`)).toBe('');
    expect(safeNumber('+39 (02) 6161.6161')).toBe('+390261616161');
    expect(safeCallId('abc@host')).toBe('abc@host');
    expect(safeCallId('a b')).toBe('');
    expect(safeExtId('CRM-42')).toBe('CRM-42');
    expect(safeExtId('x"; rm')).toBe('');
  });

  it('fills !07 only for incoming-call events and uses local time for !04', () => {
    const t = new Date(2026, 10, 26, 14, 3, 9).getTime();
    const base = { time: t, ownExtension: '1001', remoteNumber: '0261616161', callId: 'c1', originalCalled: '0299', didNumber: '0299', originalCaller: '0261616161' };
    expect(placeholderValues({ ...base, event: 'CALL_IN' })['07']).toBe('0299');
    expect(placeholderValues({ ...base, event: 'CALL_FORWARD_IN' })['07']).toBe('0299');
    expect(placeholderValues({ ...base, event: 'CALL_ACCEPT' })['07']).toBe('');
    expect(placeholderValues({ ...base, event: 'CALL_CLOSE' })).toMatchObject({ '02': 'CALL_CLOSE', '04': '26/11/2026_14.03.09', '05': 'c1', '08': '' });
  });
});

function PLACEHOLDERS(): string {
  return ['!00', '!01', '!02', '!03', '!04', '!05', '!06', '!07', '!08', '!09'].join('|');
}
