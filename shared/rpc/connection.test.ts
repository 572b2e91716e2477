import { describe, expect, it, vi } from 'vitest';
import * as z from 'zod';
import { defineEvent, defineMethod, ErrorCode, extensionEvents, extensionMethods, hostEvents, hostMethods, ProtocolError, type Message } from '../protocol';
import { Connection } from './connection';

const echo = defineMethod({ method: 'echo', direction: 'to-host', since: 1, params: () => z.object({ n: z.number() }), result: () => z.object({ n: z.number() }) });
const tick = defineEvent({ event: 'tick', direction: 'to-host', since: 1, data: () => z.object({ at: z.number() }) });
const side = { methods: { echo }, events: { tick } } as const;

/** Two connections joined back to back, as a port or a socket would join them. */
function pair(opts: { timeoutMs?: number; validateResults?: boolean } = {}) {
  const toB: Message[] = [];
  const toA: Message[] = [];
  const stray = vi.fn();
  const a = new Connection({ local: side, remote: side, send: (m) => void toB.push(m), timeoutMs: opts.timeoutMs ?? 1000, ...(opts.validateResults ? { validateResults: true } : {}) });
  const b = new Connection({ local: side, remote: side, send: (m) => void toA.push(m), timeoutMs: 1000, onStray: stray });
  const pump = async () => {
    while (toA.length || toB.length) {
      for (const m of toB.splice(0)) await b.receive(structuredClone(m));
      for (const m of toA.splice(0)) await a.receive(structuredClone(m));
    }
  };
  return { a, b, toA, toB, pump, stray };
}

const code = (p: Promise<unknown>) => p.then(() => undefined, (e: ProtocolError) => e.code);

describe('Connection', () => {
  it('answers a request through the handler, matched by id, and stops serving after unsubscribe', async () => {
    const t = pair();
    const off = t.b.handle('echo', ({ n }) => ({ n: n * 2 }));
    const one = t.a.request('echo', { n: 1 });
    const two = t.a.request('echo', { n: 2 });
    await t.pump();
    expect(await Promise.all([one, two])).toEqual([{ n: 2 }, { n: 4 }]);
    off();
    const three = t.a.request('echo', { n: 3 });
    await t.pump();
    expect(await code(three)).toBe(ErrorCode.UNKNOWN_METHOD);
  });

  it('refuses invalid params and unknown methods with their codes, and maps a thrown Error to INTERNAL', async () => {
    const t = pair();
    t.b.handle('echo', () => {
      throw new Error('boom');
    });
    const bad = t.a.request('echo', { n: 'x' } as never);
    const unknown = t.a.request('nope' as never);
    const thrown = t.a.request('echo', { n: 1 });
    await t.pump();
    expect(await code(bad)).toBe(ErrorCode.INVALID_PARAMS);
    expect(await code(unknown)).toBe(ErrorCode.UNKNOWN_METHOD);
    expect(await code(thrown)).toBe(ErrorCode.INTERNAL);
  });

  it('times out with the one policy, or a per-request timeout, and ignores the late reply', async () => {
    vi.useFakeTimers();
    try {
      const t = pair({ timeoutMs: 500 });
      t.b.handle('echo', (p) => p);
      const fast = t.a.request('echo', { n: 1 }, { timeoutMs: 10 });
      const slow = t.a.request('echo', { n: 2 });
      vi.advanceTimersByTime(11);
      expect(await code(fast)).toBe(ErrorCode.TIMEOUT);
      expect(t.a.pendingCount).toBe(1);
      vi.advanceTimersByTime(500);
      expect(await code(slow)).toBe(ErrorCode.TIMEOUT);
      await t.pump();
      expect(t.a.pendingCount).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('a cancelled request rejects at once with CANCELLED', async () => {
    const t = pair();
    const ctl = new AbortController();
    const r = t.a.request('echo', { n: 1 }, { signal: ctl.signal });
    ctl.abort();
    expect(await code(r)).toBe(ErrorCode.CANCELLED);
    expect(t.a.pendingCount).toBe(0);
    const already = t.a.request('echo', { n: 1 }, { signal: ctl.signal });
    expect(await code(already)).toBe(ErrorCode.CANCELLED);
  });

  it('rejects every pending request when the transport goes, with the words it is given', async () => {
    const t = pair();
    const rs = [t.a.request('echo', { n: 1 }), t.a.request('echo', { n: 2 })];
    t.a.rejectPending((m) => new ProtocolError(ErrorCode.DISCONNECTED, `gone during ${m}`));
    for (const r of rs) await expect(r).rejects.toMatchObject({ code: ErrorCode.DISCONNECTED, message: 'gone during echo' });
    expect(t.a.pendingCount).toBe(0);
  });

  it('a send that throws rejects the request with DISCONNECTED and leaves nothing pending', async () => {
    const c = new Connection({ local: side, remote: side, send: () => { throw new Error('port closed'); }, timeoutMs: 1000 });
    expect(await code(c.request('echo', { n: 1 }))).toBe(ErrorCode.DISCONNECTED);
    expect(c.pendingCount).toBe(0);
  });

  it('validates a push on the way out (nothing is sent) and on the way in (listeners never see it)', async () => {
    const t = pair();
    expect(() => t.a.notify('tick', { at: 'late' } as never)).toThrow(ProtocolError);
    expect(() => t.a.notify('tock' as never, {} as never)).toThrow(/unknown event/);
    expect(t.toB).toEqual([]);
    const heard = vi.fn();
    const off = t.b.on('tick', heard);
    await t.b.receive({ event: 'tick', data: { at: 'late' } });
    expect(heard).not.toHaveBeenCalled();
    expect(t.stray).toHaveBeenCalledWith(expect.objectContaining({ code: ErrorCode.INVALID_PARAMS }));
    t.a.notify('tick', { at: 1 });
    await t.pump();
    expect(heard).toHaveBeenCalledWith({ at: 1 });
    off();
    t.a.notify('tick', { at: 2 });
    await t.pump();
    expect(heard).toHaveBeenCalledTimes(1);
  });

  it('checks results when asked to, and reports a reply to no pending request', async () => {
    const t = pair({ validateResults: true });
    t.b.handle('echo', () => ({ n: 'not a number' }) as never);
    const r = t.a.request('echo', { n: 1 });
    await t.pump();
    expect(await code(r)).toBe(ErrorCode.INVALID_PARAMS);
    await t.b.receive({ id: 99, result: {} });
    expect(t.stray).toHaveBeenCalledWith(expect.objectContaining({ code: ErrorCode.INVALID_REQUEST }));
  });

  it('sends a reply where its request came from when told so', async () => {
    const t = pair();
    t.b.handle('echo', (p) => p);
    const elsewhere: Message[] = [];
    await t.b.receive({ id: 7, method: 'echo', params: { n: 7 } }, (m) => void elsewhere.push(m));
    expect(elsewhere).toEqual([{ id: 7, result: { n: 7 } }]);
    expect(t.toA).toEqual([]);
  });
});

describe('the host protocol family', () => {
  it('declares each method and event once, with the direction of the table it sits in', () => {
    for (const spec of Object.values(hostMethods)) expect(spec.direction).toBe('to-host');
    for (const spec of Object.values(extensionMethods)) expect(spec.direction).toBe('to-extension');
    for (const spec of Object.values(hostEvents)) expect(spec.direction).toBe('to-extension');
    for (const spec of Object.values(extensionEvents)) expect(spec.direction).toBe('to-host');
    const names = [...Object.keys(hostMethods), ...Object.keys(extensionMethods), ...Object.keys(hostEvents), ...Object.keys(extensionEvents)];
    expect(new Set(names).size).toBe(names.length);
  });
});
