import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, PROTOCOL_VERSION, type CallInfo, type Message } from '../../../shared/protocol';
import { unavailableHandlers } from '../messaging/unavailable-handlers';
import type { Handlers } from '../messaging/rpc-session';
import { SessionHub } from './session-hub';

const registered = { state: 'registered' as const, since: 1 };
const hotkeys = { backend: 'none' as const, available: false, reason: 'disabled' as const, message: 'off', bindings: [] };

function rig(over: { calls?: CallInfo[]; idleExitMs?: number; orphanCallsMs?: number } = {}) {
  const calls = over.calls ?? [];
  const idle = vi.fn();
  const orphaned = vi.fn();
  const adopted: unknown[] = [];
  let hub!: SessionHub;
  const handlers = (): Handlers => ({
    ...unavailableHandlers(),
    ...hub.coreHandlers(),
    'account.register': () => registered,
    'account.unregister': () => registered,
    'call.list': () => ({ calls }),
  }) as Handlers;
  hub = new SessionHub({
    app: '9.9.9',
    log: pino({ level: 'silent' }),
    home: '/h',
    idleExitMs: over.idleExitMs ?? 20,
    orphanCallsMs: over.orphanCallsMs ?? 20,
    handlers,
    registration: () => registered,
    hotkeys: () => hotkeys as never,
    calls: () => calls,
    opened: () => undefined,
    adoptMedia: (s) => void adopted.push(s),
    orphaned,
    idle,
  });
  const client = async (kind: 'extension' | 'cli', browser?: string) => {
    const sent: Message[] = [];
    const conn = hub.connect((m) => void sent.push(m));
    conn.onMessage({ id: 1, method: 'hello', params: { protocol: PROTOCOL_VERSION, app: 't', client: kind, ...(browser ? { browser } : {}) } });
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    let id = 10;
    return {
      sent,
      close: () => conn.onClose(),
      ask: async (method: string, params?: unknown) => {
        const n = id++;
        conn.onMessage({ id: n, method, ...(params === undefined ? {} : { params }) });
        await vi.waitFor(() => expect(sent.some((m) => 'id' in m && m.id === n)).toBe(true));
        return sent.find((m) => 'id' in m && m.id === n) as { result?: unknown; error?: { code: number; message: string } };
      },
    };
  };
  return { hub, client, idle, orphaned, adopted };
}

describe('SessionHub: roles', () => {
  it('the first browser owns the calls; a second one may look, not act, until the first leaves', async () => {
    const r = rig();
    const first = await r.client('extension', 'chromium');
    const second = await r.client('extension', 'firefox');
    const cli = await r.client('cli');
    expect(r.hub.browser).toBeDefined();
    expect(((await second.ask('status')) as { result: { host: { role: string } } }).result.host.role).toBe('secondary');
    expect(((await cli.ask('status')) as { result: { host: { role: string } } }).result.host.role).toBe('primary');
    const refused = await second.ask('account.register');
    expect(refused.error).toMatchObject({ code: ErrorCode.ALREADY_RUNNING, message: expect.stringContaining('chromium') });
    expect((await second.ask('call.list')).result).toEqual({ calls: [] });
    expect((await first.ask('account.register')).result).toEqual(registered);
    first.close();
    // The second browser is promoted, told so, and adopts the media bridge.
    expect(second.sent).toContainEqual({ event: 'host', data: expect.objectContaining({ role: 'primary' }) });
    expect(r.adopted).toHaveLength(2);
    expect((await second.ask('account.register')).result).toEqual(registered);
  });

  it('greets a client with host, registration and hotkeys pushes after the hello reply', async () => {
    const r = rig();
    const c = await r.client('extension', 'chromium');
    expect(c.sent.map((m) => ('event' in m ? m.event : 'reply'))).toEqual(['reply', 'host', 'registration', 'hotkeys']);
  });
});

describe('SessionHub: timers', () => {
  it('with no browser and no call, the host goes idle; a browser that connects in time stops it', async () => {
    const r = rig({ idleExitMs: 30 });
    r.hub.checkIdle();
    await r.client('extension', 'chromium');
    await new Promise((res) => setTimeout(res, 60));
    expect(r.idle).not.toHaveBeenCalled();
    const lone = rig({ idleExitMs: 10 });
    lone.hub.checkIdle();
    await vi.waitFor(() => expect(lone.idle).toHaveBeenCalledWith('no browser and no call'));
  });

  it('calls left without a browser are given up after the orphan wait, unless one comes back', async () => {
    const call = { id: 'c', state: 'active' } as CallInfo;
    const r = rig({ calls: [call], orphanCallsMs: 10 });
    const b = await r.client('extension', 'chromium');
    b.close();
    await vi.waitFor(() => expect(r.orphaned).toHaveBeenCalledOnce());
    expect(r.idle).not.toHaveBeenCalled();
    const back = rig({ calls: [call], orphanCallsMs: 40 });
    const b1 = await back.client('extension', 'chromium');
    b1.close();
    await back.client('extension', 'chromium');
    await new Promise((res) => setTimeout(res, 80));
    expect(back.orphaned).not.toHaveBeenCalled();
  });
});
