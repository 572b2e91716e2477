import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallInfo, HistoryRecord } from '../../../shared/protocol';
import { tempDir } from '../../../tests/support/temp';
import { classify, toRecord } from './classify';
import { csvField } from './csv';
import { HistoryStore } from './history-store';
import { encodeLine } from './journal';
import { callEnd, DND_CAUSE } from '../sip/end-reason';

const call = (over: Partial<CallInfo> = {}): CallInfo => ({
  id: `c${Math.random().toString(36).slice(2)}`,
  direction: 'out',
  state: 'ended',
  remote: { number: '0261616161', uri: 'sip:0261616161@pbx' },
  muted: false,
  onHold: false,
  remoteHold: false,
  startedAt: 1_000,
  endedAt: 9_000,
  end: callEnd('remote', 'BYE'),
  ...over,
});
const record = (over: Partial<CallInfo> = {}): Omit<HistoryRecord, 'seq'> => toRecord(call(over), 10_000);

describe('classify', () => {
  it.each([
    ['answered', { answeredAt: 2_000 }],
    ['busy', { end: callEnd('remote', 'Busy', 486) }],
    ['busy', { end: callEnd('remote', 'Busy', 600) }],
    ['declined', { end: callEnd('remote', 'Rejected', 603) }],
    ['missed', { end: callEnd('remote', 'Unavailable', 480) }],
    ['missed', { end: callEnd('local', 'Canceled') }],
    ['failed', { end: callEnd('remote', 'Not Found', 404) }],
    ['failed', { end: callEnd('system', 'Connection Error') }],
    ['missed', { direction: 'in', end: callEnd('remote', 'Canceled') }],
    ['declined', { direction: 'in', end: callEnd('local', 'Rejected', 603) }],
    ['declined', { direction: 'in', end: callEnd('local', 'Busy', 486) }],
    ['busy', { direction: 'in', end: callEnd('local', DND_CAUSE, 486) }],
    // Issue 12.7: a call whose audio could not start failed; it was not "no answer".
    ['failed', { end: callEnd('system', 'No Microphone') }],
    ['failed', { end: callEnd('system', 'No Browser') }],
    ['failed', { direction: 'in', end: callEnd('system', 'No Microphone') }],
  ] as const)('%s ← %j', (want, over) => expect(classify(call(over as Partial<CallInfo>))).toBe(want));

  it('duration is talk time; the external id, name and DND flag are kept', () => {
    const r = toRecord(call({ answeredAt: 4_000, endedAt: 9_500, extId: 'CRM-1', remote: { number: '1', name: 'Ada', uri: '' } }), 0);
    expect(r).toMatchObject({ durationMs: 5_500, extId: 'CRM-1', name: 'Ada', result: 'answered' });
    expect(toRecord(call({ direction: 'in', end: callEnd('local', DND_CAUSE, 486) }), 0).dnd).toBe(true);
  });
});

describe('attended transfer in the history', () => {
  it('a call handed on (REFER sent or confirmed) records the target; one canceled or failed does not', () => {
    expect(toRecord(call({ answeredAt: 1, transfer: { target: '3001', phase: 'done' } }), 0).transferredTo).toBe('3001');
    expect(toRecord(call({ answeredAt: 1, transfer: { target: '3001', phase: 'completing', consultId: 'c2' } }), 0).transferredTo).toBe('3001');
    expect(toRecord(call({ answeredAt: 1, transfer: { target: '3001', phase: 'failed', failure: 'target-busy' } }), 0).transferredTo).toBeUndefined();
    expect(toRecord(call({ answeredAt: 1 }), 0).transferredTo).toBeUndefined();
  });
});

describe('CSV', () => {
  it('escapes formula starters and quotes per RFC 4180', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+390261616161')).toBe("'+390261616161");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tcmd')).toBe("'\tcmd");
    expect(csvField('Rossi, Mario')).toBe('"Rossi, Mario"');
    expect(csvField('two\r\nlines')).toBe('"two\r\nlines"');
    expect(csvField('plain 0261')).toBe('plain 0261');
    expect(csvField(undefined)).toBe('');
    expect(csvField(0)).toBe('0');
  });
});

describe('HistoryStore', () => {
  const dirs: { remove(): void }[] = [];
  const file = () => {
    const d = tempDir('hist');
    dirs.push(d);
    return join(d.path, 'state', 'history.jsonl');
  };
  afterEach(() => dirs.splice(0).forEach((d) => d.remove()));

  it('keeps records across reopen, newest first, with seqs that keep increasing', () => {
    const f = file();
    const s = new HistoryStore(f);
    s.open();
    const a = s.add(record({ answeredAt: 2_000 }));
    const b = s.add(record({ direction: 'in', end: callEnd('remote', 'Canceled') }));
    s.close();
    const t = new HistoryStore(f);
    t.open();
    expect(t.list().map((r) => r.id)).toEqual([b.id, a.id]);
    expect(t.add(record()).seq).toBe(2);
    expect(t.list(1, 2).map((r) => r.id)).toEqual([b.id]);
  });

  it('a record journaled before end reasons existed gets its reason on reading (issue 14), by the live mapping', () => {
    const f = file();
    const s = new HistoryStore(f);
    s.open();
    s.close();
    const legacy = { seq: 0, id: 'old1', direction: 'out', number: '2001', startedAt: 1, endedAt: 2, durationMs: 0, result: 'failed' };
    appendFileSync(f, encodeLine({ k: 'call', r: { ...legacy, cause: 'No Microphone' } }));
    appendFileSync(f, encodeLine({ k: 'call', r: { ...legacy, seq: 1, id: 'old2', cause: 'SIP Failure Code', code: 403 } }));
    appendFileSync(f, encodeLine({ k: 'call', r: { ...legacy, seq: 2, id: 'bad', reason: 'not-a-reason' } }));
    const t = new HistoryStore(f);
    t.open();
    expect(t.list().map((r) => [r.id, r.reason])).toEqual([
      ['old2', 'failed'],
      ['old1', 'no-microphone'],
    ]);
  });

  it('counts unseen missed incoming calls until marked seen, durably', () => {
    const f = file();
    const s = new HistoryStore(f);
    s.open();
    s.add(record({ direction: 'in', end: callEnd('remote', 'Canceled') }));
    s.add(record({ direction: 'out', end: callEnd('remote', 'Unavailable', 480) })); // missed, but ours
    s.add(record({ direction: 'in', end: callEnd('remote', 'Canceled') }));
    expect(s.summary()).toEqual({ unseenMissed: 2, total: 3 });
    expect(s.markSeen()).toEqual({ unseenMissed: 0, total: 3 });
    s.add(record({ direction: 'in', end: callEnd('remote', 'Canceled') }));
    s.close();
    const t = new HistoryStore(f);
    t.open();
    expect(t.summary()).toEqual({ unseenMissed: 1, total: 4 });
  });

  it('rotates: never more than limit + a tenth on disk, the newest limit shown, seen state kept', () => {
    const f = file();
    const s = new HistoryStore(f, 100);
    s.open();
    for (let i = 0; i < 500; i++) {
      s.add(record({ direction: 'in', end: callEnd('remote', 'Canceled'), extId: `n${i}` }));
      if (i === 449) s.markSeen();
      const lines = readFileSync(f, 'utf8').split('\n').filter(Boolean).length;
      expect(lines).toBeLessThanOrEqual(151 + 1);
    }
    expect(s.summary()).toEqual({ unseenMissed: 50, total: 100 });
    expect(s.list(1000).map((r) => r.extId)).toEqual([...Array(100).keys()].map((i) => `n${499 - i}`));
    s.close();
    const t = new HistoryStore(f, 100);
    t.open();
    expect(t.summary()).toEqual({ unseenMissed: 50, total: 100 });
    expect(t.add(record()).seq).toBe(500);
    expect(statSync(f).size).toBeLessThan(100_000);
  });

  it('a torn last record is skipped, the file repaired, and the next call recorded', () => {
    const f = file();
    const s = new HistoryStore(f);
    s.open();
    s.add(record({ extId: 'one' }));
    s.add(record({ extId: 'two' }));
    s.close();
    const bytes = readFileSync(f);
    writeFileSync(f, bytes.subarray(0, bytes.length - 17));
    const t = new HistoryStore(f);
    const loaded = t.open();
    expect(loaded.truncatedBytes).toBeGreaterThan(0);
    expect(t.list().map((r) => r.extId)).toEqual(['one']);
    t.add(record({ extId: 'three' }));
    t.close();
    const u = new HistoryStore(f);
    u.open();
    expect(u.list().map((r) => r.extId)).toEqual(['three', 'one']);
  });

  it('a checksummed line of an unknown shape (another version) is skipped, the rest kept', () => {
    const f = file();
    const s = new HistoryStore(f);
    s.open();
    s.add(record({ extId: 'kept' }));
    s.close();
    appendFileSync(f, encodeLine({ k: 'call', r: { seq: 9, id: 'x y', direction: 'sideways' } }));
    appendFileSync(f, encodeLine({ k: 'future', anything: 1 }));
    const t = new HistoryStore(f);
    expect(t.open().skipped).toBe(2);
    expect(t.list().map((r) => r.extId)).toEqual(['kept']);
    expect(t.add(record()).seq).toBe(1);
  });

  it('exports CSV in parts, oldest first, header once, CRLF, hostile values escaped', () => {
    const f = file();
    const s = new HistoryStore(f);
    s.open();
    for (let i = 0; i < 5; i++) s.add(record({ remote: { number: `+39026161616${i}`, name: i === 2 ? '=cmd|"/c calc"!A1' : 'Rossi, Mario', uri: '' } }));
    const first = s.exportPart(-1, 2);
    expect(first.count).toBe(2);
    const lines = first.csv.split('\r\n');
    expect(lines[0]).toBe('start,direction,number,name,result,duration_s,ext_id,call_id,end_cause,sip_code');
    expect(lines[1]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d,outgoing,'\+390261616160,"Rossi, Mario",failed,0,,c/);
    const second = s.exportPart(first.next, 2);
    expect(second.csv.startsWith('start')).toBe(false);
    expect(second.csv).toContain(`"'=cmd|""/c calc""!A1"`);
    const third = s.exportPart(second.next, 2);
    expect(third.count).toBe(1);
    expect(third.next).toBeUndefined();
  });
});
