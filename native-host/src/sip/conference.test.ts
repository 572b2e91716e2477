import { describe, expect, it, vi } from 'vitest';
import type { CallInfo } from '../../../shared/protocol';
import { Conferences, type ConferenceDeps } from './conference';

const quiet = { child: () => quiet, info: () => undefined, warn: () => undefined, error: () => undefined } as never;

function rig(heldA = true) {
  const calls = new Map<string, CallInfo>();
  const listeners = new Set<(c: CallInfo) => void>();
  const emit = (c: CallInfo) => {
    if (c.state === 'ended') calls.delete(c.id);
    else calls.set(c.id, c);
    for (const l of listeners) l(c);
  };
  const change = (id: string, c: Partial<CallInfo>) => emit({ ...calls.get(id)!, ...c });
  const base = { direction: 'out', muted: false, remoteHold: false, startedAt: 0, answeredAt: 1 } as const;
  emit({ ...base, id: 'a', state: heldA ? 'held' : 'active', onHold: heldA, remote: { number: '2001', uri: '' } });
  emit({ ...base, id: 'b', state: 'active', onHold: false, remote: { number: '3001', uri: '' } });
  const sessions = Object.fromEntries(
    ['a', 'b'].map((id) => [id, { unhold: vi.fn(() => queueMicrotask(() => change(id, { onHold: false, state: 'active' }))), hold: vi.fn(() => change(id, { onHold: true, state: 'held' })) }]),
  );
  const mix = vi.fn(async (pcIds: string[]) => ({ mixed: pcIds.length }));
  const deps: ConferenceDeps = {
    onChange: (l) => (listeners.add(l), () => listeners.delete(l)),
    list: () => [...calls.values()],
    setHold: (id, hold) => void (hold ? sessions[id]!.hold() : sessions[id]!.unhold()),
    patch: (id, c) => calls.has(id) && change(id, c),
    pcIdOf: (id) => `pc-${id === 'a' ? 1 : 2}`,
    mix,
    log: quiet,
    unholdWaitMs: 1000,
  };
  return { conf: new Conferences(deps), calls, sessions, mix, change, emit };
}

describe('Conferences over the calls and the browser mix', () => {
  it('merge takes the held call off hold, then mixes both; each call says who it is merged with', async () => {
    const { conf, calls, sessions, mix } = rig();
    const merged = await conf.merge();
    expect(sessions.a!.unhold).toHaveBeenCalled();
    expect(sessions.b!.unhold).not.toHaveBeenCalled();
    expect(mix).toHaveBeenCalledWith(['pc-1', 'pc-2']);
    expect(merged.map((c) => c.id)).toEqual(['a', 'b']);
    expect(calls.get('a')).toMatchObject({ state: 'active', merged: ['b'], conferenceWith: ['3001'] });
    expect(calls.get('b')).toMatchObject({ merged: ['a'], conferenceWith: ['2001'] });
  });

  it('one leg ending un-mixes and leaves the other call up, its history kept', async () => {
    const { conf, calls, mix, change } = rig();
    await conf.merge();
    change('b', { state: 'ended' });
    await vi.waitFor(() => expect(mix).toHaveBeenLastCalledWith([]));
    await vi.waitFor(() => expect(calls.get('a')!.merged).toBeUndefined());
    expect(calls.get('a')).toMatchObject({ state: 'active', conferenceWith: ['3001'] });
  });

  it('split un-mixes and holds every call but the one named', async () => {
    const { conf, calls, sessions, mix } = rig(false);
    await conf.merge(['a', 'b']);
    await conf.split('b');
    expect(mix).toHaveBeenLastCalledWith([]);
    expect(sessions.a!.hold).toHaveBeenCalled();
    expect(sessions.b!.hold).not.toHaveBeenCalled();
    expect(calls.get('a')!.merged).toBeUndefined();
    expect(calls.get('b')!.merged).toBeUndefined();
  });

  it('refuses a call in a transfer, and an unknown call', async () => {
    const { conf, change } = rig(false);
    await expect(conf.merge(['a', 'zz'])).rejects.toThrow(/not an answered call/);
    change('a', { transfer: { target: '3001', phase: 'talking' } });
    await expect(conf.merge()).rejects.toThrow(/transfer/);
  });

  it('fails clearly when a call cannot come off hold', async () => {
    const { conf, sessions } = rig();
    sessions.a!.unhold.mockImplementation(() => undefined);
    await expect(conf.merge()).rejects.toThrow(/could not be taken off hold/);
    // Nothing is left half-merged: a later merge starts afresh.
    await expect(conf.split()).rejects.toThrow(/no conference/);
  });
});
