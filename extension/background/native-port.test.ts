import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ErrorCode, NATIVE_HOST_NAME, PROTOCOL_VERSION, ProtocolError } from '../../shared/protocol';
import { classify, NativePort, type ConnectionState, type NativePortLike, type NativePortOptions } from './native-port';

/** A runtime.Port stand-in: records what the extension posts and lets the test play the host. */
class FakePort implements NativePortLike {
  readonly sent: Record<string, unknown>[] = [];
  disconnectedByExtension = false;
  /** Chrome throws when posting on a port the other side closed. */
  dead = false;
  error: { message?: string } | null = null;
  private readonly messageListeners: ((m: unknown) => void)[] = [];
  private readonly disconnectListeners: ((p: NativePortLike) => void)[] = [];

  readonly onMessage = { addListener: (cb: (m: unknown) => void) => void this.messageListeners.push(cb) };
  readonly onDisconnect = { addListener: (cb: (p: NativePortLike) => void) => void this.disconnectListeners.push(cb) };

  postMessage(message: unknown): void {
    if (this.dead) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(structuredClone(message) as Record<string, unknown>);
  }

  disconnect(): void {
    this.disconnectedByExtension = true;
  }

  /** The host sends a message. */
  deliver(message: unknown): void {
    for (const l of this.messageListeners) l(message);
  }

  /** The browser closes the port; Firefox puts the reason on port.error. */
  hostGone(firefoxError?: string): void {
    this.dead = true;
    if (firefoxError !== undefined) this.error = { message: firefoxError };
    for (const l of this.disconnectListeners) l(this);
  }

  last(): Record<string, unknown> {
    const m = this.sent.at(-1);
    if (!m) throw new Error('nothing sent');
    return m;
  }
}

interface Timer {
  fn: () => void;
  at: number;
  ms: number;
  cleared: boolean;
}

/** Injected clock and timers: time only moves when the test says so. */
class FakeClock {
  time = 1_000_000;
  readonly timers: Timer[] = [];

  now = (): number => this.time;
  setTimer = (fn: () => void, ms: number): unknown => {
    const t: Timer = { fn, at: this.time + ms, ms, cleared: false };
    this.timers.push(t);
    return t;
  };
  clearTimer = (h: unknown): void => {
    (h as Timer).cleared = true;
  };

  active(): Timer[] {
    return this.timers.filter((t) => !t.cleared && t.at >= 0);
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.active()
        .filter((t) => t.at <= end)
        .sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.time = due.at;
      due.cleared = true;
      due.fn();
    }
    this.time = end;
  }
}

const helloResult = { protocol: PROTOCOL_VERSION, app: '9.9.9', pid: 4242, role: 'primary' as const };

const flush = () => new Promise<void>((r) => setImmediate(r));

function setup(overrides: Partial<NativePortOptions> = {}) {
  const clock = new FakeClock();
  const ports: FakePort[] = [];
  const names: string[] = [];
  let lastError: string | undefined;
  let randomValue = 0.5;
  const states: ConnectionState[] = [];
  const np = new NativePort({
    connect(name) {
      names.push(name);
      const p = new FakePort();
      ports.push(p);
      return p;
    },
    lastError: () => lastError,
    appVersion: '1.2.3',
    browser: 'chrome',
    now: clock.now,
    setTimer: clock.setTimer,
    clearTimer: clock.clearTimer,
    random: () => randomValue,
    ...overrides,
  });
  np.onState((s) => states.push(s));
  const port = (): FakePort => {
    const p = ports.at(-1);
    if (!p) throw new Error('no port opened');
    return p;
  };
  return {
    np,
    clock,
    ports,
    names,
    states,
    port,
    setLastError(m: string | undefined) {
      lastError = m;
    },
    setRandom(r: number) {
      randomValue = r;
    },
    /** Answers the hello on the newest port and lets the promise chain run. */
    async greet(): Promise<FakePort> {
      const p = port();
      const hello = p.sent.find((m) => m.method === 'hello');
      if (!hello) throw new Error('no hello sent');
      p.deliver({ id: hello.id, result: helloResult });
      await flush();
      return p;
    },
    /** The newest port dies the way Chrome reports it: runtime.lastError set during onDisconnect. */
    async chromeDisconnect(message: string | undefined): Promise<void> {
      lastError = message;
      port().hostGone();
      lastError = undefined;
      await flush();
    },
  };
}

/** The reconnect timer: the only live timer with no pending request attached. */
function reconnectTimer(clock: FakeClock): Timer {
  const live = clock.active();
  if (live.length !== 1) throw new Error(`expected one live timer, found ${live.length}`);
  return live[0]!;
}

async function rejection(p: Promise<unknown>): Promise<ProtocolError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error('expected the promise to reject');
}

function settled(p: Promise<unknown>): { done: boolean } {
  const s = { done: false };
  p.then(
    () => (s.done = true),
    () => (s.done = true),
  );
  return s;
}

describe('NativePort: module boundaries', () => {
  it('does not import webextension-polyfill (the browser port is injected)', () => {
    const source = readFileSync(fileURLToPath(new URL('./native-port.ts', import.meta.url)), 'utf8');
    expect(source).not.toMatch(/webextension-polyfill/);
    expect(source).not.toMatch(/chrome\.runtime|browser\.runtime/);
  });
});

describe('NativePort: handshake', () => {
  it('sends hello first, with the protocol version, and goes connecting → connected', async () => {
    const t = setup();
    t.np.start();
    expect(t.names).toEqual([NATIVE_HOST_NAME]);
    expect(t.np.state).toEqual({ status: 'connecting', attempt: 1 });
    const p = t.port();
    expect(p.sent).toHaveLength(1);
    expect(p.sent[0]).toEqual({
      id: expect.any(Number),
      method: 'hello',
      params: { protocol: PROTOCOL_VERSION, app: '1.2.3', client: 'extension', browser: 'chrome' },
    });
    await t.greet();
    expect(t.np.state).toEqual({ status: 'connected', hello: helloResult });
    expect(t.states.map((s) => s.status)).toEqual(['connecting', 'connected']);
  });

  it('start() while a port is open does not open a second one', async () => {
    const t = setup();
    t.np.start();
    t.np.start();
    await t.greet();
    t.np.start();
    expect(t.ports).toHaveLength(1);
  });

  it('stays connecting until the hello is answered, and refuses requests meanwhile', async () => {
    const t = setup();
    t.np.start();
    const err = await rejection(t.np.request('status'));
    expect(err.code).toBe(ErrorCode.DISCONNECTED);
    expect(t.port().sent.map((m) => m.method)).toEqual(['hello']);
    expect(t.np.state.status).toBe('connecting');
  });

  it('a hello that is never answered times out, drops the port and schedules a retry', async () => {
    const t = setup({ helloTimeoutMs: 3000 });
    t.np.start();
    t.clock.advance(2999);
    await flush();
    expect(t.np.state.status).toBe('connecting');
    t.clock.advance(1);
    await flush();
    expect(t.port().disconnectedByExtension).toBe(true);
    const s = t.np.state;
    expect(s.status).toBe('disconnected');
    if (s.status !== 'disconnected') return;
    expect(s.reason).toBe('error');
    expect(s.message).toMatch(/3000 ms/);
    expect(s.retryAt).toBeTypeOf('number');
  });
});

describe('NativePort: requests', () => {
  it('gives increasing ids and resolves each reply to its own request, even out of order', async () => {
    const t = setup();
    t.np.start();
    const p = await t.greet();
    const a = t.np.request('ping', { t: 1 });
    const b = t.np.request('status');
    const c = t.np.request('ping', { t: 3 });
    const [ma, mb, mc] = p.sent.slice(1);
    const ids = [ma!.id, mb!.id, mc!.id] as number[];
    expect(ids[0]).toBeGreaterThan(p.sent[0]!.id as number);
    expect(ids[1]).toBeGreaterThan(ids[0]!);
    expect(ids[2]).toBeGreaterThan(ids[1]!);
    expect(ma).toEqual({ id: ids[0], method: 'ping', params: { t: 1 } });
    // No params: no params key at all (the host's strict schema treats undefined as absent anyway).
    expect(mb).toEqual({ id: ids[1], method: 'status' });

    const statusResult = { marker: 'status' };
    p.deliver({ id: ids[2], result: { t: 3 } });
    p.deliver({ id: ids[0], result: { t: 1 } });
    p.deliver({ id: ids[1], result: statusResult });
    await expect(a).resolves.toEqual({ t: 1 });
    await expect(b).resolves.toBe(statusResult);
    await expect(c).resolves.toEqual({ t: 3 });
  });

  it('ignores replies for unknown ids and a second reply to the same id', async () => {
    const t = setup();
    t.np.start();
    const p = await t.greet();
    const a = t.np.request('ping', { t: 1 });
    const id = p.last().id;
    p.deliver({ id: 999_999, result: 'stray' });
    p.deliver({ id: String(id), result: 'string id is not ours' });
    p.deliver({ id, result: { t: 1 } });
    p.deliver({ id, result: { t: 2 } });
    await expect(a).resolves.toEqual({ t: 1 });
  });

  it('rejects with TIMEOUT after the default request timeout', async () => {
    const t = setup({ requestTimeoutMs: 1500 });
    t.np.start();
    const p = await t.greet();
    const req = t.np.request('status');
    const s = settled(req);
    t.clock.advance(1499);
    await flush();
    expect(s.done).toBe(false);
    t.clock.advance(1);
    const err = await rejection(req);
    expect(err.code).toBe(ErrorCode.TIMEOUT);
    expect(err.message).toMatch(/status/);
    // A late answer is dropped quietly.
    expect(() => p.deliver({ id: p.last().id, result: {} })).not.toThrow();
    expect(t.np.state.status).toBe('connected');
  });

  it('honours a per-request timeout', async () => {
    const t = setup({ requestTimeoutMs: 60_000 });
    t.np.start();
    await t.greet();
    const req = t.np.request('ping', {}, 200);
    t.clock.advance(200);
    expect((await rejection(req)).code).toBe(ErrorCode.TIMEOUT);
  });

  it('clears the timeout when the reply arrives', async () => {
    const t = setup({ requestTimeoutMs: 1000 });
    t.np.start();
    const p = await t.greet();
    const req = t.np.request('ping', {});
    expect(t.clock.active()).toHaveLength(1);
    p.deliver({ id: p.last().id, result: {} });
    await req;
    expect(t.clock.active()).toHaveLength(0);
  });

  it('rejects an error reply with a ProtocolError carrying the code, message and data', async () => {
    const t = setup();
    t.np.start();
    const p = await t.greet();
    const req = t.np.request('account.register');
    p.deliver({ id: p.last().id, error: { code: ErrorCode.NO_ACCOUNT, message: 'no SIP account', data: { x: 1 } } });
    const err = await rejection(req);
    expect(err.code).toBe(ErrorCode.NO_ACCOUNT);
    expect(err.message).toBe('no SIP account');
    expect(err.data).toEqual({ x: 1 });
  });

  it('maps an error code it does not know to INTERNAL, keeping the message', async () => {
    const t = setup();
    t.np.start();
    const p = await t.greet();
    const req = t.np.request('status');
    p.deliver({ id: p.last().id, error: { code: 123_456, message: 'from the future' } });
    const err = await rejection(req);
    expect(err.code).toBe(ErrorCode.INTERNAL);
    expect(err.message).toBe('from the future');
  });

  it('rejects with DISCONNECTED when posting throws (port already closed)', async () => {
    const t = setup();
    t.np.start();
    const p = await t.greet();
    p.dead = true;
    const err = await rejection(t.np.request('status'));
    expect(err.code).toBe(ErrorCode.DISCONNECTED);
    expect(err.message).toMatch(/disconnected port/);
    expect(t.clock.active()).toHaveLength(0);
  });

  it('rejects a request immediately while disconnected, posting nothing', async () => {
    const t = setup();
    // Never started.
    expect((await rejection(t.np.request('status'))).code).toBe(ErrorCode.DISCONNECTED);
    expect(t.ports).toHaveLength(0);
    // After the host went away.
    t.np.start();
    await t.greet();
    await t.chromeDisconnect('Native host has exited.');
    const before = t.port().sent.length;
    expect((await rejection(t.np.request('ping'))).code).toBe(ErrorCode.DISCONNECTED);
    expect(t.port().sent).toHaveLength(before);
  });
});

describe('NativePort: disconnect', () => {
  it('rejects every pending request with DISCONNECTED and clears their timers', async () => {
    const t = setup();
    t.np.start();
    await t.greet();
    const reqs = [t.np.request('status'), t.np.request('ping', { t: 1 }), t.np.request('account.unregister')];
    const rejected = Promise.all(reqs.map(rejection));
    expect(t.clock.active()).toHaveLength(3);
    await t.chromeDisconnect('Native host has exited.');
    const errors = await rejected;
    expect(errors.map((e) => e.code)).toEqual([ErrorCode.DISCONNECTED, ErrorCode.DISCONNECTED, ErrorCode.DISCONNECTED]);
    expect(errors[0]!.message).toMatch(/status/);
    expect(errors[2]!.message).toMatch(/account\.unregister/);
    // Only the reconnect timer is left.
    expect(t.clock.active()).toHaveLength(1);
  });

  it.each([
    ['Chrome', 'Specified native messaging host not found.', 'host-not-found'],
    ['Chrome', 'Access to the specified native messaging host is forbidden.', 'forbidden'],
    ['Chrome', 'Native host has exited.', 'host-exited'],
    ['Chrome', 'Error when communicating with the native messaging host.', 'error'],
    ['Firefox', 'No such native application voispeed.ui', 'host-not-found'],
    ['Firefox', 'An unexpected error occurred', 'error'],
  ] as const)('classifies %s\'s "%s" as %s', (_browser, message, reason) => {
    expect(classify(message)).toBe(reason);
  });

  it('reads the reason from Chrome runtime.lastError during onDisconnect', async () => {
    const t = setup();
    t.np.start();
    await t.chromeDisconnect('Specified native messaging host not found.');
    expect(t.np.state).toMatchObject({
      status: 'disconnected',
      reason: 'host-not-found',
      message: 'Specified native messaging host not found.',
    });
  });

  it('reads the reason from Firefox port.error, preferring it to lastError', async () => {
    const t = setup();
    t.np.start();
    t.setLastError('Native host has exited.');
    t.port().hostGone('No such native application voispeed.ui');
    await flush();
    expect(t.np.state).toMatchObject({
      status: 'disconnected',
      reason: 'host-not-found',
      message: 'No such native application voispeed.ui',
    });
  });

  it('treats a close with no reason at all as the host exiting', async () => {
    const t = setup();
    t.np.start();
    await t.greet();
    await t.chromeDisconnect(undefined);
    expect(t.np.state).toMatchObject({ status: 'disconnected', reason: 'host-exited' });
  });

  it('a failing connect() is an error with a retry, not a throw', async () => {
    let calls = 0;
    const t = setup({
      connect() {
        calls += 1;
        throw new Error('boom');
      },
    });
    expect(() => t.np.start()).not.toThrow();
    expect(t.np.state).toMatchObject({ status: 'disconnected', reason: 'error', message: 'boom' });
    t.clock.advance(reconnectTimer(t.clock).ms);
    expect(calls).toBe(2);
  });
});

describe('NativePort: reconnect', () => {
  const backoff = { baseMs: 500, maxMs: 30_000, jitter: 0.3 };

  /** Fails `n` connection attempts in a row (host exits before the hello reply) and records each delay. */
  async function failRepeatedly(t: ReturnType<typeof setup>, n: number, message = 'Native host has exited.') {
    const delays: number[] = [];
    t.np.start();
    for (let i = 0; i < n; i++) {
      expect(t.np.state).toEqual({ status: 'connecting', attempt: i + 1 });
      await t.chromeDisconnect(message);
      const s = t.np.state;
      if (s.status !== 'disconnected' || s.retryAt === undefined) throw new Error('no retry scheduled');
      const timer = reconnectTimer(t.clock);
      expect(s.retryAt).toBe(t.clock.now() + timer.ms);
      delays.push(timer.ms);
      t.clock.advance(timer.ms);
    }
    return delays;
  }

  const expectedBase = (attempt: number, floor = 0) =>
    Math.max(Math.min(backoff.maxMs, backoff.baseMs * 2 ** (attempt - 1)), floor);

  it('doubles the delay per failed attempt up to the cap (random = 0.5: no jitter)', async () => {
    const t = setup({ backoff });
    t.setRandom(0.5);
    const delays = await failRepeatedly(t, 9);
    expect(delays).toEqual(delays.map((_, i) => expectedBase(i + 1)));
    // Sanity on the shape: grows, then flat at the cap.
    expect(delays[1]).toBe(2 * delays[0]!);
    expect(delays.at(-1)).toBe(backoff.maxMs);
  });

  it.each([0, 0.999_999])('keeps every delay within base × (1 ± jitter) at random = %s', async (r) => {
    const t = setup({ backoff });
    t.setRandom(r);
    const delays = await failRepeatedly(t, 9);
    delays.forEach((d, i) => {
      const base = expectedBase(i + 1);
      expect(d).toBeGreaterThanOrEqual(Math.floor(base * (1 - backoff.jitter)));
      expect(d).toBeLessThanOrEqual(Math.ceil(base * (1 + backoff.jitter)));
    });
    // The extremes are actually reached: jitter is applied, not ignored.
    const edge = r === 0 ? 1 - backoff.jitter : 1 + backoff.jitter;
    expect(delays[0]).toBeCloseTo(backoff.baseMs * edge, -1);
  });

  it('with real randomness, delays spread inside the jitter band', async () => {
    const t = setup({ backoff, random: Math.random });
    const firsts: number[] = [];
    for (let i = 0; i < 50; i++) {
      t.np.retryNow();
      await t.chromeDisconnect('Native host has exited.');
      firsts.push(reconnectTimer(t.clock).ms);
    }
    for (const d of firsts) {
      expect(d).toBeGreaterThanOrEqual(350);
      expect(d).toBeLessThanOrEqual(650);
    }
    expect(new Set(firsts).size).toBeGreaterThan(5);
  });

  it('waits the full delay before reconnecting, then reconnects once', async () => {
    const t = setup({ backoff });
    t.np.start();
    await t.chromeDisconnect('Native host has exited.');
    const ms = reconnectTimer(t.clock).ms;
    t.clock.advance(ms - 1);
    expect(t.ports).toHaveLength(1);
    t.clock.advance(1);
    expect(t.ports).toHaveLength(2);
    expect(t.np.state).toEqual({ status: 'connecting', attempt: 2 });
  });

  it('starts again from the base delay after a successful connection', async () => {
    const t = setup({ backoff });
    t.setRandom(0.5);
    await failRepeatedly(t, 4);
    await t.greet();
    expect(t.np.state.status).toBe('connected');
    await t.chromeDisconnect('Native host has exited.');
    expect(reconnectTimer(t.clock).ms).toBe(backoff.baseMs);
  });

  it.each([
    ['host-not-found', 'Specified native messaging host not found.'],
    ['host-not-found', 'No such native application voispeed.ui'],
    ['forbidden', 'Access to the specified native messaging host is forbidden.'],
  ])('retries %s no faster than ~10 s (10 s ± jitter): %s', async (_reason, message) => {
    for (const r of [0, 0.5, 0.999_999]) {
      const t = setup({ backoff });
      t.setRandom(r);
      const delays = await failRepeatedly(t, 7, message);
      delays.forEach((d, i) => {
        const base = expectedBase(i + 1, 10_000);
        expect(base).toBeGreaterThanOrEqual(10_000);
        expect(d).toBeGreaterThanOrEqual(Math.floor(base * (1 - backoff.jitter)));
        expect(d).toBeLessThanOrEqual(Math.ceil(base * (1 + backoff.jitter)));
        expect(d).toBeGreaterThanOrEqual(7000);
      });
      if (r === 0.5) expect(delays[0]).toBe(10_000);
    }
  });

  it('does not retry a version mismatch (hello error 1007) on its own', async () => {
    const t = setup({ backoff });
    t.np.start();
    const p = t.port();
    p.deliver({
      id: p.sent[0]!.id,
      error: { code: ErrorCode.VERSION_MISMATCH, message: 'protocol 1 from extension, host speaks 2' },
    });
    await flush();
    expect(t.np.state).toEqual({
      status: 'disconnected',
      reason: 'version-mismatch',
      message: 'protocol 1 from extension, host speaks 2',
      retryAt: undefined,
    });
    expect(p.disconnectedByExtension).toBe(true);
    expect(t.clock.active()).toHaveLength(0);
    t.clock.advance(24 * 3600_000);
    expect(t.ports).toHaveLength(1);
    // The user can still ask for another try (e.g. after updating the host).
    t.np.retryNow();
    expect(t.ports).toHaveLength(2);
  });

  it('another hello error is retried with backoff', async () => {
    const t = setup({ backoff });
    t.np.start();
    const p = t.port();
    p.deliver({ id: p.sent[0]!.id, error: { code: ErrorCode.INTERNAL, message: 'oops' } });
    await flush();
    expect(t.np.state).toMatchObject({ status: 'disconnected', reason: 'error', message: 'oops' });
    expect(p.disconnectedByExtension).toBe(true);
    expect(t.clock.active()).toHaveLength(1);
  });

  it('retryNow skips the backoff wait and cancels the scheduled attempt', async () => {
    const t = setup({ backoff, helloTimeoutMs: 60_000 });
    t.setRandom(0.5);
    await failRepeatedly(t, 3);
    await t.chromeDisconnect('Native host has exited.');
    const pendingDelay = reconnectTimer(t.clock).ms;
    expect(pendingDelay).toBe(expectedBase(4));
    t.np.retryNow();
    expect(t.ports).toHaveLength(5);
    expect(t.np.state).toEqual({ status: 'connecting', attempt: 1 });
    // The old timer must not open yet another port.
    t.clock.advance(pendingDelay * 2);
    expect(t.ports).toHaveLength(5);
    await t.greet();
    expect(t.np.state.status).toBe('connected');
  });

  it('retryNow while connected does nothing', async () => {
    const t = setup();
    t.np.start();
    await t.greet();
    t.np.retryNow();
    expect(t.ports).toHaveLength(1);
    expect(t.np.state.status).toBe('connected');
  });

  it('ignores a late disconnect from a port it already replaced', async () => {
    const t = setup({ backoff });
    t.np.start();
    const first = t.port();
    first.deliver({ id: first.sent[0]!.id, error: { code: ErrorCode.INTERNAL, message: 'x' } });
    await flush();
    t.np.retryNow();
    await t.greet();
    first.hostGone('Native host has exited.');
    await flush();
    expect(t.np.state.status).toBe('connected');
  });
});

describe('NativePort: pushes', () => {
  it('delivers {event, data} to every onEvent listener until it unsubscribes', async () => {
    const t = setup();
    t.np.start();
    const p = await t.greet();
    const a: [string, unknown][] = [];
    const b: [string, unknown][] = [];
    const offA = t.np.onEvent((e, d) => a.push([e, d]));
    t.np.onEvent((e, d) => b.push([e, d]));
    const data = { state: 'registered', since: 1 };
    p.deliver({ event: 'registration', data });
    offA();
    p.deliver({ event: 'host', data: { pid: 1 } });
    expect(a).toEqual([['registration', data]]);
    expect(b).toEqual([
      ['registration', data],
      ['host', { pid: 1 }],
    ]);
  });

  it('does not treat a message with an id as a push', async () => {
    const t = setup();
    t.np.start();
    const p = await t.greet();
    const seen: string[] = [];
    t.np.onEvent((e) => seen.push(e));
    p.deliver({ id: 77, event: 'registration', data: {} });
    p.deliver('junk');
    p.deliver(null);
    expect(seen).toEqual([]);
  });

  it('onState unsubscribe stops notifications', async () => {
    const t = setup();
    const seen: string[] = [];
    const off = t.np.onState((s) => seen.push(s.status));
    t.np.start();
    off();
    await t.greet();
    expect(seen).toEqual(['connecting']);
  });
});

describe('NativePort: stop', () => {
  it('rejects pending requests, closes the port and never reconnects', async () => {
    const t = setup();
    t.np.start();
    const p = await t.greet();
    const reqs = [t.np.request('status'), t.np.request('ping')];
    const rejected = Promise.all(reqs.map(rejection));
    t.np.stop();
    for (const e of await rejected) expect(e.code).toBe(ErrorCode.DISCONNECTED);
    expect(p.disconnectedByExtension).toBe(true);
    expect(t.np.state).toMatchObject({ status: 'disconnected', retryAt: undefined });
    expect(t.clock.active()).toHaveLength(0);
    // The browser may still report the close; it must not schedule anything.
    p.hostGone('Native host has exited.');
    await flush();
    t.clock.advance(10 * 60_000);
    expect(t.ports).toHaveLength(1);
    expect((await rejection(t.np.request('status'))).code).toBe(ErrorCode.DISCONNECTED);
  });

  it('cancels a scheduled reconnect', async () => {
    const t = setup();
    t.np.start();
    await t.chromeDisconnect('Native host has exited.');
    expect(t.clock.active()).toHaveLength(1);
    t.np.stop();
    expect(t.clock.active()).toHaveLength(0);
    t.clock.advance(10 * 60_000);
    expect(t.ports).toHaveLength(1);
  });

  it('stopping during the handshake rejects the hello without a later state change', async () => {
    const t = setup();
    t.np.start();
    const p = t.port();
    t.np.stop();
    await flush();
    p.deliver({ id: p.sent[0]!.id, result: helloResult });
    await flush();
    expect(t.np.state.status).toBe('disconnected');
    expect(t.clock.active()).toHaveLength(0);
  });

  it('can be started again after stop', async () => {
    const t = setup();
    t.np.start();
    await t.greet();
    t.np.stop();
    t.np.start();
    expect(t.ports).toHaveLength(2);
    await t.greet();
    expect(t.np.state.status).toBe('connected');
  });
});
