import { unavailableHandlers } from './unavailable-handlers';
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, hostMethods, MIN_CLI_PROTOCOL, PROTOCOL_VERSION, ProtocolError, type Message } from '../../../shared/protocol';
import { RpcSession, type Handlers, type SessionContext } from './rpc-session';

const callStubs = unavailableHandlers();

const HOST_APP = '7.7.7';

const registration = { state: 'unregistered' as const, since: 1 };
// Pushes are checked against the event table on the way out: a real HostInfo.
const hostInfo = { pid: 1, app: HOST_APP, protocol: PROTOCOL_VERSION, role: 'primary' as const, uptimeMs: 0, home: '/h' };

function setup(overrides: Partial<Handlers> = {}, onHello?: (ctx: SessionContext) => void) {
  const sent: Message[] = [];
  const log = { warn: vi.fn(), error: vi.fn() };
  const calls: { method: string; params: unknown; ctx: SessionContext }[] = [];
  const handlers: Handlers = {
    ...callStubs,
    status: (params, ctx) => {
      calls.push({ method: 'status', params, ctx });
      return {
        host: { pid: 1, app: HOST_APP, protocol: PROTOCOL_VERSION, role: 'primary', uptimeMs: 0, home: '/h' },
        registration,
      };
    },
    ping: (params, ctx) => {
      calls.push({ method: 'ping', params, ctx });
      return params?.t === undefined ? {} : { t: params.t };
    },
    'account.register': async (params, ctx) => {
      calls.push({ method: 'account.register', params, ctx });
      return registration;
    },
    'account.unregister': (params, ctx) => {
      calls.push({ method: 'account.unregister', params, ctx });
      return registration;
    },
    ...overrides,
  };
  let role: 'primary' | 'secondary' = 'primary';
  const session = new RpcSession({
    app: HOST_APP,
    handlers,
    role: () => role,
    send: (m) => sent.push(structuredClone(m)),
    log,
    ...(onHello ? { onHello } : {}),
  });
  return {
    session,
    sent,
    log,
    calls,
    setRole(r: 'primary' | 'secondary') {
      role = r;
    },
    async hello(extra: Record<string, unknown> = {}, id: number | string = 'h') {
      await session.handle({
        id,
        method: 'hello',
        params: { protocol: PROTOCOL_VERSION, app: '1.0.0', client: 'extension', browser: 'chrome', ...extra },
      });
      return sent.at(-1);
    },
    last(): Message {
      const m = sent.at(-1);
      if (!m) throw new Error('nothing sent');
      return m;
    },
  };
}

const twoTicks = async () => {
  await new Promise<void>((r) => setImmediate(r));
  await new Promise<void>((r) => setImmediate(r));
};

describe('RpcSession: handshake', () => {
  it('refuses any method before hello with HANDSHAKE_REQUIRED (1006), echoing the id', async () => {
    const t = setup();
    await t.session.handle({ id: 5, method: 'status' });
    expect(t.sent).toEqual([{ id: 5, error: { code: ErrorCode.HANDSHAKE_REQUIRED, message: expect.stringMatching(/hello/) } }]);
    expect(t.calls).toEqual([]);
    expect(t.session.isGreeted).toBe(false);
  });

  it('answers hello with the host protocol, app, pid and role, then serves requests', async () => {
    const t = setup();
    t.setRole('secondary');
    expect(await t.hello()).toEqual({
      id: 'h',
      result: { protocol: PROTOCOL_VERSION, app: HOST_APP, pid: process.pid, role: 'secondary' },
    });
    expect(t.session.isGreeted).toBe(true);
    await t.session.handle({ id: 6, method: 'ping', params: { t: 42 } });
    expect(t.last()).toEqual({ id: 6, result: { t: 42 } });
  });

  it('records who the client is and passes the session as context to handlers', async () => {
    const t = setup();
    await t.hello({ client: 'cli', browser: undefined });
    expect(t.session.client).toBe('cli');
    expect(t.session.browser).toBeUndefined();
    await t.session.handle({ id: 1, method: 'status' });
    expect(t.calls[0]!.ctx).toBe(t.session);
    await t.hello({ client: 'extension', browser: 'firefox' });
    expect(t.session.client).toBe('extension');
    expect(t.session.browser).toBe('firefox');
  });

  it('refuses a different protocol version with VERSION_MISMATCH (1007) and a message naming both sides', async () => {
    const t = setup();
    const other = PROTOCOL_VERSION + 1;
    const reply = await t.hello({ protocol: other, app: '2.0.0' });
    expect(reply).toMatchObject({ id: 'h', error: { code: ErrorCode.VERSION_MISMATCH } });
    const error = (reply as { error: { message: string; data: unknown } }).error;
    expect(error.message).toContain(`protocol ${other}`);
    expect(error.message).toContain('2.0.0');
    expect(error.message).toContain(`host speaks ${PROTOCOL_VERSION}`);
    expect(error.message).toContain(HOST_APP);
    expect(error.message).toMatch(/update/);
    expect(error.data).toEqual({ host: PROTOCOL_VERSION, hostApp: HOST_APP });
    // Still not greeted: nothing else is served.
    expect(t.session.isGreeted).toBe(false);
    await t.session.handle({ id: 2, method: 'status' });
    expect(t.last()).toMatchObject({ id: 2, error: { code: ErrorCode.HANDSHAKE_REQUIRED } });
  });

  it('validates hello params too (INVALID_PARAMS naming the field)', async () => {
    const t = setup();
    await t.session.handle({ id: 1, method: 'hello', params: { protocol: 1, app: 'x' } });
    expect(t.last()).toMatchObject({ id: 1, error: { code: ErrorCode.INVALID_PARAMS } });
    expect((t.last() as { error: { message: string } }).error.message).toMatch(/client/);
    expect(t.session.isGreeted).toBe(false);
  });
});

describe('RpcSession: errors are replies, never throws', () => {
  it('answers an unknown method with UNKNOWN_METHOD (1004)', async () => {
    const t = setup();
    await t.hello();
    await t.session.handle({ id: 9, method: 'call.teleport' });
    expect(t.last()).toEqual({
      id: 9,
      error: { code: ErrorCode.UNKNOWN_METHOD, message: expect.stringContaining('call.teleport') },
    });
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
    'treats the Object.prototype name %s as an unknown method, not a crash',
    async (method) => {
      const t = setup();
      await t.hello();
      await expect(t.session.handle({ id: 3, method })).resolves.toBeUndefined();
      expect(t.last()).toMatchObject({ id: 3, error: { code: ErrorCode.UNKNOWN_METHOD } });
      // Also before hello: still no crash.
      const u = setup();
      await expect(u.session.handle({ id: 4, method })).resolves.toBeUndefined();
      expect(u.last()).toMatchObject({ id: 4 });
      expect((u.last() as { error?: unknown }).error).toBeDefined();
    },
  );

  it('does not let a parsed "__proto__" key pollute anything', async () => {
    const t = setup();
    await t.hello();
    const value = JSON.parse('{"id": 1, "method": "ping", "params": {"__proto__": {"polluted": true}}}') as unknown;
    await t.session.handle(value);
    expect(t.last()).toMatchObject({ id: 1, error: { code: ErrorCode.INVALID_PARAMS } });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers wrong params with INVALID_PARAMS (1005) naming the field', async () => {
    const t = setup();
    await t.hello();
    await t.session.handle({ id: 1, method: 'ping', params: { t: 'soon' } });
    const reply = t.last() as { id: number; error: { code: number; message: string } };
    expect(reply.id).toBe(1);
    expect(reply.error.code).toBe(ErrorCode.INVALID_PARAMS);
    expect(reply.error.message).toMatch(/ping/);
    expect(reply.error.message).toMatch(/\bat t\b/);
    expect(t.calls).toEqual([]);
  });

  it('names an unexpected key in strict params', async () => {
    const t = setup();
    await t.hello();
    await t.session.handle({ id: 2, method: 'status', params: { verbose: true } });
    expect(t.last()).toMatchObject({ id: 2, error: { code: ErrorCode.INVALID_PARAMS } });
    expect((t.last() as { error: { message: string } }).error.message).toContain('verbose');
  });

  it.each([
    ['a missing method', { id: 11 }, 11],
    ['a numeric method', { id: 12, method: 42 }, 12],
    ['an empty method', { id: 'abc', method: '' }, 'abc'],
    ['an extra envelope key', { id: 13, method: 'ping', extra: 1 }, 13],
    ['a method name too long', { id: 14, method: 'x'.repeat(65) }, 14],
  ])('answers an invalid envelope (%s) with INVALID_REQUEST (1003), echoing a usable id', async (_name, value, id) => {
    const t = setup();
    await t.session.handle(value);
    expect(t.sent).toEqual([{ id, error: { code: ErrorCode.INVALID_REQUEST, message: expect.any(String) } }]);
  });

  it.each([
    ['a string', 'hello'],
    ['null', null],
    ['an array', [1, 'ping']],
    ['a negative id', { id: -1, method: 'ping' }],
    ['a fractional id', { id: 1.5, method: 'ping' }],
    ['an object id', { id: { x: 1 }, method: 'ping' }],
    ['an empty string id', { id: '', method: 'ping' }],
    ['an id too long', { id: 'i'.repeat(65), method: 'ping' }],
    ['no id', { method: 'ping' }],
  ])('answers an invalid envelope (%s) with INVALID_REQUEST and id null', async (_name, value) => {
    const t = setup();
    await t.session.handle(value);
    expect(t.sent).toEqual([{ id: null, error: { code: ErrorCode.INVALID_REQUEST, message: expect.any(String) } }]);
  });

  it('passes a ProtocolError thrown by a handler through with its code and message', async () => {
    const t = setup({
      'account.register': () => {
        throw new ProtocolError(ErrorCode.NO_ACCOUNT, 'no SIP account is configured');
      },
    });
    await t.hello();
    await t.session.handle({ id: 1, method: 'account.register' });
    expect(t.last()).toEqual({ id: 1, error: { code: ErrorCode.NO_ACCOUNT, message: 'no SIP account is configured' } });
    expect(t.log.error).not.toHaveBeenCalled();
  });

  it('passes a rejected ProtocolError with data through', async () => {
    const t = setup({
      'account.unregister': async () => {
        throw new ProtocolError(ErrorCode.ALREADY_RUNNING, 'owned by pid 9', { pid: 9 });
      },
    });
    await t.hello();
    await t.session.handle({ id: 1, method: 'account.unregister' });
    expect(t.last()).toEqual({ id: 1, error: { code: ErrorCode.ALREADY_RUNNING, message: 'owned by pid 9', data: { pid: 9 } } });
  });

  it.each([
    ['throws', true],
    ['rejects', false],
  ])('a handler that %s a plain Error gets INTERNAL (2006) without leaking the message, and is logged', async (_k, sync) => {
    const secret = 'ENOENT /home/alice/.config/voispeed password=hunter2';
    const t = setup({
      status: sync
        ? () => {
            throw new Error(secret);
          }
        : async () => {
            throw new Error(secret);
          },
    });
    await t.hello();
    await expect(t.session.handle({ id: 8, method: 'status' })).resolves.toBeUndefined();
    const reply = t.last() as { id: number; error: { code: number; message: string; data?: unknown } };
    expect(reply.id).toBe(8);
    expect(reply.error.code).toBe(ErrorCode.INTERNAL);
    expect(JSON.stringify(reply)).not.toContain('hunter2');
    expect(JSON.stringify(reply)).not.toContain('/home/alice');
    expect(reply.error.message).toContain('status');
    expect(t.log.error).toHaveBeenCalledTimes(1);
  });

  it('a handler that throws a non-Error value still gets INTERNAL', async () => {
    const t = setup({
      ping: () => {
        throw 'a string';
      },
    });
    await t.hello();
    await t.session.handle({ id: 1, method: 'ping' });
    expect(t.last()).toMatchObject({ id: 1, error: { code: ErrorCode.INTERNAL } });
  });

  it('replies null when a handler returns undefined', async () => {
    const t = setup({ 'account.unregister': () => undefined as never });
    await t.hello();
    await t.session.handle({ id: 1, method: 'account.unregister' });
    expect(t.last()).toEqual({ id: 1, result: null });
  });

  it('answers concurrent requests each with its own id', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const t = setup({
      'account.register': async () => {
        await gate;
        return registration;
      },
    });
    await t.hello();
    const slow = t.session.handle({ id: 'slow', method: 'account.register' });
    await t.session.handle({ id: 'fast', method: 'ping', params: { t: 1 } });
    release();
    await slow;
    expect(t.sent.slice(-2)).toEqual([
      { id: 'fast', result: { t: 1 } },
      { id: 'slow', result: registration },
    ]);
  });

  it('badFrame sends an error with id null', () => {
    const t = setup();
    t.session.badFrame(ErrorCode.PARSE_ERROR, 'frame is not valid JSON');
    expect(t.sent).toEqual([{ id: null, error: { code: ErrorCode.PARSE_ERROR, message: 'frame is not valid JSON' } }]);
  });
});

describe('RpcSession: pushes', () => {
  it('drops pushes before hello and sends them after', async () => {
    const t = setup();
    t.session.push('registration', registration);
    expect(t.sent).toEqual([]);
    await t.hello();
    t.session.push('registration', registration);
    expect(t.last()).toEqual({ event: 'registration', data: registration });
  });

  it('a failed hello does not open the door to pushes', async () => {
    const t = setup();
    await t.hello({ protocol: PROTOCOL_VERSION + 1 });
    const n = t.sent.length;
    t.session.push('host', hostInfo);
    expect(t.sent).toHaveLength(n);
  });

  it('runs onHello after the hello reply was sent, so the reply precedes the first push', async () => {
    const onHello = vi.fn((ctx: SessionContext) => {
      ctx.push('host', hostInfo);
      ctx.push('registration', registration);
    });
    const t = setup({}, onHello);
    await t.hello();
    expect(onHello).not.toHaveBeenCalled();
    await twoTicks();
    expect(onHello).toHaveBeenCalledTimes(1);
    expect(onHello.mock.calls[0]![0]).toBe(t.session);
    expect(t.sent).toEqual([
      { id: 'h', result: expect.objectContaining({ protocol: PROTOCOL_VERSION }) },
      { event: 'host', data: hostInfo },
      { event: 'registration', data: registration },
    ]);
  });

  it('runs onHello once, not on a repeated hello', async () => {
    const onHello = vi.fn();
    const t = setup({}, onHello);
    await t.hello();
    await twoTicks();
    await t.hello({}, 'again');
    await twoTicks();
    expect(onHello).toHaveBeenCalledTimes(1);
  });

  it('does not run onHello after a version mismatch', async () => {
    const onHello = vi.fn();
    const t = setup({}, onHello);
    await t.hello({ protocol: PROTOCOL_VERSION + 1 });
    await twoTicks();
    expect(onHello).not.toHaveBeenCalled();
  });
});

describe('RpcSession: older CLIs', () => {
  it('serves a CLI that speaks an older protocol (nothing it uses changed), and refuses an extension that does', async () => {
    const cli = setup();
    const ok = await cli.hello({ client: 'cli', browser: undefined, protocol: MIN_CLI_PROTOCOL });
    expect(ok).toMatchObject({ id: 'h', result: { protocol: PROTOCOL_VERSION } });
    await cli.session.handle({ id: 1, method: 'ping', params: { t: 5 } });
    expect(cli.last()).toEqual({ id: 1, result: { t: 5 } });
    const ext = setup();
    const refused = await ext.hello({ protocol: MIN_CLI_PROTOCOL });
    expect(refused).toMatchObject({ id: 'h', error: { code: ErrorCode.VERSION_MISMATCH } });
  });
});
