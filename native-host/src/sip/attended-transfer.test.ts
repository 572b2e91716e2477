import { describe, expect, it, vi } from 'vitest';
import type { CallInfo } from '../../../shared/protocol';
import { AttendedTransfers, type TransferCalls } from './attended-transfer';
import { callEnd } from './end-reason';

const quiet = { child: () => quiet, info: () => undefined, warn: () => undefined, error: () => undefined } as never;

/** CallManager's surface over plain records; sessions record what JsSIP would be asked. */
function fakeCalls() {
  const calls = new Map<string, CallInfo>();
  const listeners = new Set<(c: CallInfo) => void>();
  const refers: { uri: string; options: { replaces: unknown; eventHandlers: Record<string, (e?: unknown) => void> } }[] = [];
  const sessions = new Map<string, { terminate: ReturnType<typeof vi.fn>; refer: (uri: string, o: never) => void }>();
  const emit = (c: CallInfo) => {
    if (c.state === 'ended') calls.delete(c.id);
    else calls.set(c.id, c);
    for (const l of listeners) l(c);
  };
  const session = (id: string) => {
    const s = { terminate: vi.fn(() => change(id, { state: 'ended', end: callEnd('local', 'Terminated') })), refer: (uri: string, options: never) => void refers.push({ uri, options }) };
    sessions.set(id, s);
    return s;
  };
  const change = (id: string, c: Partial<CallInfo>) => {
    const now = calls.get(id);
    if (now) emit({ ...now, ...c });
  };
  const add = (id: string, over: Partial<CallInfo> = {}) => {
    session(id);
    emit({ id, direction: 'in', state: 'active', remote: { number: '2001', uri: 'sip:2001@x' }, muted: false, onHold: false, remoteHold: false, startedAt: 0, answeredAt: 1, ...over });
  };
  const api: TransferCalls = {
    onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    list: () => [...calls.values()],
    info: (id) => {
      const c = calls.get(id);
      if (!c) throw new Error(`no call ${id}`);
      return c;
    },
    sessionOf: (id) => sessions.get(id) as never,
    patch: (id, c) => change(id, c),
    place: vi.fn(async (o, onDialled) => {
      add('c2', { direction: 'out', state: 'dialing', remote: { number: o.number, uri: `sip:${o.number}@x` }, answeredAt: undefined });
      onDialled?.(calls.get('c2')!);
      return calls.get('c2')!;
    }),
    hold: vi.fn((id, hold) => (change(id, { onHold: hold, state: hold ? 'held' : 'active' }), calls.get(id)!)),
    hangup: vi.fn((id) => (change(id!, { state: 'ended', end: callEnd('local', 'Terminated') }), calls.get(id!)!)),
    resolve: (n) => ({ target: { dial: n }, uri: `sip:${n}@pbx.test` }),
  };
  return { api, add, change, refers, sessions, calls };
}

async function talking() {
  const f = fakeCalls();
  const t = new AttendedTransfers(f.api, quiet);
  const seen: CallInfo[] = [];
  f.api.onChange((c) => c.id === 'c1' && seen.push(c));
  f.add('c1');
  await t.consult('3001', 'c1');
  f.change('c2', { state: 'active', answeredAt: 2 });
  return { f, t, seen };
}

describe('AttendedTransfers over the calls', () => {
  it('consult holds the caller, calls the target and links the two calls', async () => {
    const f = fakeCalls();
    const t = new AttendedTransfers(f.api, quiet);
    f.add('c1');
    const info = await t.consult('3001', undefined, 'cli');
    expect(f.api.hold).toHaveBeenCalledWith('c1', true);
    expect(f.api.place).toHaveBeenCalledWith({ number: '3001', source: 'cli' }, expect.any(Function));
    expect(info.transfer).toEqual({ target: '3001', phase: 'consulting', consultId: 'c2' });
    expect(f.calls.get('c2')!.consultFor).toBe('c1');
  });

  it('complete: REFER with Replaces of the consult on the caller leg; NOTIFY 200 marks it done, then ends both legs', async () => {
    const { f, t, seen } = await talking();
    expect(f.calls.get('c1')!.transfer?.phase).toBe('talking');
    t.complete();
    expect(f.refers).toHaveLength(1);
    expect(f.refers[0]!.uri).toBe('sip:3001@pbx.test');
    expect(f.refers[0]!.options.replaces).toBe(f.sessions.get('c2'));
    f.refers[0]!.options.eventHandlers.accepted!();
    const ended = seen.find((c) => c.state === 'ended');
    expect(ended?.transfer?.phase).toBe('done');
    expect(f.sessions.get('c1')!.terminate).toHaveBeenCalled();
    expect(f.sessions.get('c2')!.terminate).toHaveBeenCalled();
  });

  it('a refused REFER shows refer-refused with the status; the consult stays', async () => {
    const { f, t } = await talking();
    t.complete('c2');
    f.refers[0]!.options.eventHandlers.requestFailed!({ response: { status_code: 403 } });
    expect(f.calls.get('c1')!.transfer).toMatchObject({ phase: 'failed', failure: 'refer-refused', code: 403 });
    expect(f.calls.get('c2')!.state).toBe('active');
  });

  it('a NOTIFY with a failure (sipfrag 486) is a refused transfer too', async () => {
    const { f, t } = await talking();
    t.complete();
    f.refers[0]!.options.eventHandlers.failed!({ status_line: { status_code: 486 } });
    expect(f.calls.get('c1')!.transfer).toMatchObject({ phase: 'failed', failure: 'refer-refused', code: 486 });
  });

  it('target busy: the caller stays on hold with target-busy; cancel resumes it', async () => {
    const f = fakeCalls();
    const t = new AttendedTransfers(f.api, quiet);
    f.add('c1');
    await t.consult('486', 'c1');
    f.change('c2', { state: 'ended', end: callEnd('remote', 'Busy', 486) });
    expect(f.calls.get('c1')).toMatchObject({ state: 'held', transfer: { phase: 'failed', failure: 'target-busy', code: 486 } });
    t.cancel('c1');
    expect(f.api.hold).toHaveBeenLastCalledWith('c1', false);
    expect(f.calls.get('c1')!.transfer).toBeUndefined();
  });

  it('cancel while talking hangs up the consult and resumes the caller', async () => {
    const { f, t } = await talking();
    t.cancel();
    expect(f.api.hangup).toHaveBeenCalledWith('c2');
    expect(f.calls.get('c1')).toMatchObject({ state: 'active', onHold: false });
    expect(f.calls.get('c1')!.transfer).toBeUndefined();
  });

  it('refuses what makes no sense: complete before the answer, a second consult, no transfer at all', async () => {
    const f = fakeCalls();
    const t = new AttendedTransfers(f.api, quiet);
    f.add('c1');
    expect(() => t.complete()).toThrow(/no transfer in progress/);
    await t.consult('3001', 'c1');
    expect(() => t.complete()).toThrow(/not answered yet/);
    await expect(t.consult('3002', 'c1')).rejects.toThrow(/already in progress/);
  });
});
