import { unavailableHandlers } from '../messaging/unavailable-handlers';
import { connect, type Socket } from 'node:net';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { endianness, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ErrorCode, hostMethods, PROTOCOL_VERSION, ProtocolError, type Message } from '../../../shared/protocol';
import { encodeFrame, FrameDecoder } from '../messaging/framing';
import { RpcSession, type Handlers } from '../messaging/rpc-session';
import { connectControl, type ControlClient } from './control-client';
import { startControlServer, type ControlConnection, type ControlServer } from './control-server';

const callStubs = unavailableHandlers();

const unix = process.platform !== 'win32';
const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;

let root: string;
const servers: ControlServer[] = [];
const clients: ControlClient[] = [];
const sockets: Socket[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'voispeed-control-'));
});
afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const s of sockets.splice(0)) s.destroy();
  for (const s of servers.splice(0)) await s.stop();
  await rm(root, { recursive: true, force: true });
});

const registration = { state: 'unconfigured' as const, since: 5 };

/** A control server wired like host.ts: one real RpcSession per connection, fake handlers. */
async function startRpcServer(path: string, handlers: Partial<Handlers> = {}) {
  const sessions: RpcSession[] = [];
  const closed = vi.fn();
  const all: Handlers = {
    ...callStubs,
    status: () => ({
      host: { pid: process.pid, app: 'test', protocol: PROTOCOL_VERSION, role: 'primary', uptimeMs: 1, home: root },
      registration,
    }),
    ping: (p) => (p?.t === undefined ? {} : { t: p.t }),
    'account.register': () => {
      throw new ProtocolError(ErrorCode.NO_ACCOUNT, 'no SIP account is configured');
    },
    'account.unregister': () => registration,
    ...handlers,
  };
  const server = await startControlServer(path, process.platform, uid, (send) => {
    const s = new RpcSession({ app: 'test', handlers: all, role: () => 'primary', send: send as (m: Message) => void });
    sessions.push(s);
    return {
      onMessage: (v) => void s.handle(v),
      onBadFrame: (code, message) => s.badFrame(code, message),
      onClose: closed,
    };
  });
  servers.push(server);
  return { server, sessions, closed };
}

async function client(path: string): Promise<ControlClient> {
  const c = await connectControl(path, '0.0.1');
  clients.push(c);
  return c;
}

/** A raw socket speaking frames, for what connectControl would never send. */
async function rawClient(path: string) {
  const socket = connect(path);
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  const received: unknown[] = [];
  const decoder = new FrameDecoder();
  socket.on('data', (chunk: Buffer) => {
    for (const d of decoder.push(chunk)) if (d.kind === 'message') received.push(d.value);
  });
  const ended = new Promise<void>((r) => socket.once('close', () => r()));
  return { socket, received, ended };
}

async function until(cond: () => boolean, what: string, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function rejection(p: Promise<unknown>): Promise<ProtocolError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    return err as ProtocolError;
  }
  throw new Error('expected a rejection');
}

const mode = async (p: string) => (await stat(p)).mode & 0o777;

describe.runIf(unix)('control socket', () => {
  it('serves hello, then requests, replies and pushes to connectControl', async () => {
    const path = join(root, 'run', 'control.sock');
    const { sessions } = await startRpcServer(path);
    const c = await client(path);
    // The hello was done by connectControl: the session is greeted as a CLI.
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.isGreeted).toBe(true);
    expect(sessions[0]!.client).toBe('cli');

    await expect(c.request('ping', { t: 42 })).resolves.toEqual({ t: 42 });
    const st = await c.request('status');
    expect(st.host.home).toBe(root);
    expect(st.registration).toEqual(registration);

    const events: [string, unknown][] = [];
    c.onEvent((e, d) => events.push([e, d]));
    sessions[0]!.push('registration', registration);
    await until(() => events.length === 1, 'the push');
    expect(events).toEqual([['registration', registration]]);
  });

  it('turns an error reply into a ProtocolError with the code', async () => {
    const path = join(root, 'run', 'control.sock');
    await startRpcServer(path);
    const c = await client(path);
    const err = await rejection(c.request('account.register'));
    expect(err.code).toBe(ErrorCode.NO_ACCOUNT);
    expect(err.message).toBe('no SIP account is configured');
  });

  it('serves several clients, each with its own session', async () => {
    const path = join(root, 'run', 'control.sock');
    const { sessions } = await startRpcServer(path);
    const [a, b] = await Promise.all([client(path), client(path)]);
    const [ra, rb] = await Promise.all([a.request('ping', { t: 1 }), b.request('ping', { t: 2 })]);
    expect([ra, rb]).toEqual([{ t: 1 }, { t: 2 }]);
    expect(sessions).toHaveLength(2);
  });

  it('creates the socket 0600 in a 0700 folder', async () => {
    const dir = join(root, 'run');
    const path = join(dir, 'control.sock');
    await startRpcServer(path);
    expect((await stat(path)).isSocket()).toBe(true);
    expect(await mode(path)).toBe(0o600);
    expect(await mode(dir)).toBe(0o700);
  });

  it('tightens an existing folder that is too open', async () => {
    const dir = join(root, 'run');
    await mkdir(dir);
    await chmod(dir, 0o755);
    await startRpcServer(join(dir, 'control.sock'));
    expect(await mode(dir)).toBe(0o700);
  });

  it('refuses a folder that is a symlink, and creates nothing behind it', async () => {
    const real = join(root, 'elsewhere');
    await mkdir(real, { mode: 0o700 });
    const link = join(root, 'run');
    await symlink(real, link);
    await expect(startRpcServer(join(link, 'control.sock'))).rejects.toThrow(/not a real directory/);
    expect(await readdir(real)).toEqual([]);
  });

  it('refuses a regular file where the folder should be', async () => {
    const notDir = join(root, 'run');
    await writeFile(notDir, '');
    await expect(startRpcServer(join(notDir, 'control.sock'))).rejects.toThrow();
  });

  it.runIf(uid !== undefined)('refuses a folder owned by another uid', async () => {
    const path = join(root, 'run', 'control.sock');
    await expect(
      startControlServer(path, process.platform, uid! + 1, () => ({ onMessage() {}, onBadFrame() {}, onClose() {} })),
    ).rejects.toThrow(/belongs to uid/);
  });

  it('replaces a leftover socket file from a crashed host', async () => {
    const path = join(root, 'run', 'control.sock');
    const first = await startRpcServer(path);
    // Simulate a crash: the file stays, nobody listens (stop() would unlink it, so close by hand).
    await first.server.stop();
    servers.splice(servers.indexOf(first.server), 1);
    await writeFile(path, 'leftover');
    await startRpcServer(path);
    await expect((await client(path)).request('ping', {})).resolves.toEqual({});
  });

  it('answers a bad frame with an id-null error and keeps the connection', async () => {
    const path = join(root, 'run', 'control.sock');
    await startRpcServer(path);
    const raw = await rawClient(path);
    const junk = Buffer.from('{nope');
    const head = Buffer.alloc(4);
    if (endianness() === 'LE') head.writeUInt32LE(junk.length, 0);
    else head.writeUInt32BE(junk.length, 0);
    raw.socket.write(Buffer.concat([head, junk]));
    raw.socket.write(encodeFrame({ id: 1, method: 'status' }));
    await until(() => raw.received.length === 2, 'two replies');
    expect(raw.received[0]).toMatchObject({ id: null, error: { code: ErrorCode.PARSE_ERROR } });
    expect(raw.received[1]).toMatchObject({ id: 1, error: { code: ErrorCode.HANDSHAKE_REQUIRED } });
  });

  it('tells the connection when the client goes away', async () => {
    const path = join(root, 'run', 'control.sock');
    const { closed } = await startRpcServer(path);
    const c = await client(path);
    c.close();
    await until(() => closed.mock.calls.length === 1, 'onClose');
  });

  it('stop() disconnects clients, rejects what they wait for and removes the socket', async () => {
    const path = join(root, 'run', 'control.sock');
    let hold!: () => void;
    const { server } = await startRpcServer(path, {
      'account.unregister': () =>
        new Promise((r) => {
          hold = () => r(registration);
        }),
    });
    const c = await client(path);
    const pending = c.request('account.unregister', undefined, 10_000);
    const rejected = rejection(pending);
    await until(() => hold !== undefined, 'the handler to run');
    await server.stop();
    servers.splice(servers.indexOf(server), 1);
    expect((await rejected).code).toBe(ErrorCode.DISCONNECTED);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await rejection(connectControl(path))).code).toBe(ErrorCode.NOT_RUNNING);
    hold();
  });

  it('refuses connections beyond 32 at once', async () => {
    const path = join(root, 'run', 'control.sock');
    await startRpcServer(path);
    const raws: Awaited<ReturnType<typeof rawClient>>[] = [];
    for (let i = 0; i < 32; i++) raws.push(await rawClient(path));
    const extra = await rawClient(path);
    await extra.ended;
    // The first 32 are still served.
    raws[31]!.socket.write(encodeFrame({ id: 1, method: 'ping' }));
    await until(() => raws[31]!.received.length === 1, 'a reply on the 32nd connection');
  });
});

describe.runIf(unix)('connectControl', () => {
  it('rejects with NOT_RUNNING (2005) when there is no socket', async () => {
    const err = await rejection(connectControl(join(root, 'nothing-here.sock')));
    expect(err.code).toBe(ErrorCode.NOT_RUNNING);
    expect(err.message).toMatch(/not running/);
  });

  it('rejects with NOT_RUNNING when the socket file is stale (nobody listening)', async () => {
    const path = join(root, 'stale.sock');
    await writeFile(path, '');
    expect((await rejection(connectControl(path))).code).toBe(ErrorCode.NOT_RUNNING);
  });

  /** A host stub that answers each request with `answer(request)`; undefined = no answer. */
  async function stubServer(path: string, answer: (req: { id: number; method: string }) => Message | undefined) {
    const closed = vi.fn();
    const server = await startControlServer(path, process.platform, uid, (send): ControlConnection => ({
      onMessage: (v) => {
        const m = answer(v as { id: number; method: string });
        if (m) send(m);
      },
      onBadFrame() {},
      onClose: closed,
    }));
    servers.push(server);
    return { closed };
  }

  it('sends hello with the protocol version, the app version and client "cli"', async () => {
    const path = join(root, 'run', 'control.sock');
    const seen: unknown[] = [];
    await stubServer(path, (req) => {
      seen.push(req);
      return { id: req.id, result: { protocol: PROTOCOL_VERSION, app: 'x', pid: 1, role: 'primary' } };
    });
    await client(path);
    expect(seen).toEqual([
      { id: expect.any(Number), method: 'hello', params: { protocol: PROTOCOL_VERSION, app: '0.0.1', client: 'cli' } },
    ]);
  });

  it('rejects with the host error when hello is refused, and closes the connection', async () => {
    const path = join(root, 'run', 'control.sock');
    const { closed } = await stubServer(path, (req) => ({
      id: req.id,
      error: { code: ErrorCode.VERSION_MISMATCH, message: 'host speaks 2' },
    }));
    const err = await rejection(connectControl(path));
    expect(err.code).toBe(ErrorCode.VERSION_MISMATCH);
    // A CLI that leaves the socket open would never exit.
    await until(() => closed.mock.calls.length === 1, 'the host to see the connection close');
  });

  it('times a request out with TIMEOUT (2000)', async () => {
    const path = join(root, 'run', 'control.sock');
    await stubServer(path, (req) =>
      req.method === 'hello'
        ? { id: req.id, result: { protocol: PROTOCOL_VERSION, app: 'x', pid: 1, role: 'primary' } }
        : undefined,
    );
    const c = await client(path);
    const started = Date.now();
    const err = await rejection(c.request('status', undefined, 100));
    expect(err.code).toBe(ErrorCode.TIMEOUT);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });
});
