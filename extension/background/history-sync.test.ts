import { describe, expect, it, vi } from 'vitest';
import { hostEvents, type HistoryRecord, type HostEventName } from '../../shared/protocol';
import { mockUiState } from '../lib/mock-connector';
import type { BackgroundContext } from './context';
import { historySync, RECENT_IN_VIEW } from './history-sync';
import { UiStore } from './ui-store';

const rec = (seq: number, over: Partial<HistoryRecord> = {}): HistoryRecord => ({
  seq,
  id: `c${seq}`,
  direction: 'in',
  number: '2001',
  startedAt: seq,
  endedAt: seq + 1,
  durationMs: 0,
  result: 'missed',
  ...over,
});

/** A native port that answers history requests from a table and lets the test push events. */
function start(answers: Record<string, (params: unknown) => unknown>) {
  const onEvent: ((e: string, d: unknown) => void)[] = [];
  const onState: ((s: { status: string }) => void)[] = [];
  const request = vi.fn(async (method: string, params?: unknown) => {
    const answer = answers[method];
    if (!answer) throw new Error(`unexpected ${method}`);
    return answer(params);
  });
  // As NativePort.on: one event by name, its data checked against the shared table.
  const on = (name: HostEventName, l: (d: unknown) => void) =>
    void onEvent.push((e, d) => {
      const parsed = hostEvents[name].data.safeParse(d);
      if (e === name && parsed.success) l(parsed.data);
    });
  const native = { request, on, onState: (l: (s: { status: string }) => void) => void onState.push(l) };
  const store = new UiStore(mockUiState());
  historySync.start({ native: native as never, store } as BackgroundContext);
  return {
    store,
    request,
    push: (event: string, data: unknown) => onEvent.forEach((l) => l(event, data)),
    state: (status: string) => onState.forEach((l) => l({ status })),
  };
}
const flush = () => new Promise((r) => setTimeout(r, 0));

describe('history-sync', () => {
  it('loads the recent calls on connect, adds pushed records once, clears them on disconnect', async () => {
    const h = start({ 'history.list': () => ({ records: [rec(1), rec(0)], unseenMissed: 2, total: 2 }) });
    h.state('connected');
    await flush();
    expect(h.request).toHaveBeenCalledWith('history.list', { limit: RECENT_IN_VIEW });
    expect(h.store.state.history?.map((r) => r.seq)).toEqual([1, 0]);
    h.push('history', { added: rec(2), unseenMissed: 3, total: 3 });
    h.push('history', { added: rec(2), unseenMissed: 3, total: 3 });
    expect(h.store.state.history?.map((r) => r.seq)).toEqual([2, 1, 0]);
    expect(h.store.state.unseenMissed).toBe(3);
    h.push('history', { unseenMissed: 0, total: 3 });
    expect(h.store.state.unseenMissed).toBe(0);
    h.push('history', { added: { seq: 'bad' }, unseenMissed: 9, total: 9 });
    expect(h.store.state.unseenMissed).toBe(0);
    h.state('disconnected');
    expect(h.store.state.history).toBeUndefined();
  });

  it('calls back with source history and the same external id; marks seen', async () => {
    const h = start({ 'call.dial': () => ({}), 'history.markSeen': () => ({ unseenMissed: 0, total: 3 }) });
    await h.store.dispatch({ type: 'history.call', number: '2001', extId: 'CRM-7' });
    expect(h.request).toHaveBeenCalledWith('call.dial', { number: '2001', source: 'history', extId: 'CRM-7' });
    h.store.update({ unseenMissed: 4 });
    await h.store.dispatch({ type: 'history.markSeen' });
    expect(h.store.state.unseenMissed).toBe(0);
  });

  it('export asks for every part and joins them', async () => {
    const parts: Record<string, { csv: string; count: number; next?: number }> = {
      first: { csv: 'head\r\na\r\n', count: 1, next: 5 },
      '5': { csv: 'b\r\n', count: 1, next: 9 },
      '9': { csv: 'c\r\n', count: 1 },
    };
    const h = start({ 'history.export': (p) => parts[(p as { after?: number }).after === undefined ? 'first' : String((p as { after: number }).after)] });
    expect(await h.store.dispatch({ type: 'history.export' })).toBe('head\r\na\r\nb\r\nc\r\n');
    expect(h.request).toHaveBeenCalledTimes(3);
  });
});
