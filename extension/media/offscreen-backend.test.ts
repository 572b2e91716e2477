import { describe, expect, it, vi } from 'vitest';
import { ErrorCode } from '../../shared/protocol';
import type { BackendHooks } from './backend';
import { MEDIA_PORT_NAME, type ToEngine } from './offscreen-channel';
import { OffscreenBackend, type OffscreenApi, type PortLike } from './offscreen-backend';

const DOC = 'chrome-extension://abc/extension/offscreen/index.html';

class FakePort implements PortLike {
  sent: ToEngine[] = [];
  private messageListeners: ((m: unknown) => void)[] = [];
  private disconnectListeners: (() => void)[] = [];
  disconnected = false;
  constructor(
    readonly name = MEDIA_PORT_NAME,
    readonly sender = { url: DOC },
  ) {}
  postMessage(m: unknown) {
    if (this.disconnected) throw new Error('Attempting to use a disconnected port object');
    this.sent.push(m as ToEngine);
  }
  disconnect() {
    this.disconnected = true;
  }
  onMessage = { addListener: (cb: (m: unknown) => void) => void this.messageListeners.push(cb) };
  onDisconnect = { addListener: (cb: () => void) => void this.disconnectListeners.push(cb) };
  /** The document answers every call sent so far with `{ok: method}`. */
  answerAll() {
    for (const m of this.sent.splice(0)) for (const l of this.messageListeners) l({ kind: 'result', id: m.id, result: { ok: m.method } });
  }
  emit(message: unknown) {
    for (const l of this.messageListeners) l(message);
  }
  drop() {
    this.disconnected = true;
    for (const l of this.disconnectListeners) l();
  }
}

function setup(opts: { exists?: boolean } = {}) {
  let connect!: (port: PortLike) => void;
  let exists = opts.exists ?? false;
  const api: OffscreenApi & { createDocument: ReturnType<typeof vi.fn>; closeDocument: ReturnType<typeof vi.fn> } = {
    documentUrl: DOC,
    hasDocument: async () => exists,
    createDocument: vi.fn(async () => {
      if (exists) throw new Error('Only a single offscreen document may be created.');
      exists = true;
    }),
    closeDocument: vi.fn(async () => {
      exists = false;
    }),
    onConnect: (l) => (connect = l),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  };
  const hooks: BackendHooks = {
    event: vi.fn(),
    lost: vi.fn(),
    startCalls: () => [['engine.setDevices', { micId: 'm', speakerId: '', ringerId: '' }]],
    log: () => undefined,
  };
  const backend = new OffscreenBackend(api, hooks, 200, 50);
  return {
    api,
    hooks,
    backend,
    connect: (port: PortLike) => connect(port),
    gone: () => (exists = false),
  };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('OffscreenBackend', () => {
  it('creates the document once for concurrent first calls, then sends the devices and the calls in order', async () => {
    const { api, backend, connect } = setup();
    const a = backend.call('media.pc.create', { pcId: 'pc-1' });
    const b = backend.call('media.pc.create', { pcId: 'pc-2' });
    const c = backend.call('media.pc.addMicrophone', { pcId: 'pc-1' });
    await tick();
    expect(api.createDocument).toHaveBeenCalledTimes(1);
    const port = new FakePort();
    connect(port);
    await tick();
    expect(port.sent.map((m) => `${m.method} ${JSON.stringify(m.params)}`)).toEqual([
      'engine.setDevices {"micId":"m","speakerId":"","ringerId":""}',
      'media.pc.create {"pcId":"pc-1"}',
      'media.pc.create {"pcId":"pc-2"}',
      'media.pc.addMicrophone {"pcId":"pc-1"}',
    ]);
    port.answerAll();
    await expect(Promise.all([a, b, c])).resolves.toEqual([{ ok: 'media.pc.create' }, { ok: 'media.pc.create' }, { ok: 'media.pc.addMicrophone' }]);
    expect(backend.creations).toBe(1);
    expect(backend.running).toBe(true);
  });

  it('turns error replies into ProtocolErrors and passes events on', async () => {
    const { backend, connect, hooks } = setup();
    const call = backend.call('media.pc.createOffer', { pcId: 'pc-9' });
    await tick();
    const port = new FakePort();
    connect(port);
    await tick();
    const id = port.sent.at(-1)!.id;
    port.emit({ kind: 'error', id, error: { code: ErrorCode.INVALID_PARAMS, message: 'no peer connection pc-9' } });
    await expect(call).rejects.toMatchObject({ name: 'ProtocolError', code: ErrorCode.INVALID_PARAMS, message: 'no peer connection pc-9' });
    port.emit({ kind: 'event', data: { pcId: 'pc-1', type: 'closed' } });
    expect(hooks.event).toHaveBeenCalledWith({ pcId: 'pc-1', type: 'closed' });
  });

  it('replaces a document left over from an earlier worker when it does not connect back', async () => {
    const { api, backend, connect } = setup({ exists: true });
    const call = backend.call('media.ring', { on: true });
    await new Promise((r) => setTimeout(r, 80));
    expect(api.closeDocument).toHaveBeenCalledOnce();
    expect(api.createDocument).toHaveBeenCalledOnce();
    const port = new FakePort();
    connect(port);
    await tick();
    port.answerAll();
    await expect(call).resolves.toEqual({ ok: 'media.ring' });
  });

  it('adopts a left-over document that connects back with its calls (a worker restart)', async () => {
    const { api, backend, connect } = setup({ exists: true });
    const call = backend.call('media.retain', { pcIds: ['pc-1'] });
    await tick();
    const port = new FakePort();
    connect(port);
    await tick();
    port.answerAll();
    await expect(call).resolves.toEqual({ ok: 'media.retain' });
    expect(api.closeDocument).not.toHaveBeenCalled();
    expect(api.createDocument).not.toHaveBeenCalled();
  });

  it('ignores other ports and refuses a media port from anything but the offscreen document', () => {
    const { backend, connect } = setup();
    const ui = new FakePort('voispeed.ui');
    connect(ui);
    expect(ui.disconnected).toBe(false);
    const intruder = new FakePort(MEDIA_PORT_NAME, { url: 'chrome-extension://abc/extension/popup/index.html' });
    connect(intruder);
    expect(intruder.disconnected).toBe(true);
    expect(backend.running).toBe(false);
  });

  it('a lost document fails what was pending, reports the loss, and the next call starts a new one', async () => {
    const { api, backend, connect, hooks, gone } = setup();
    const first = backend.call('media.pc.create', { pcId: 'pc-1' });
    await tick();
    const port = new FakePort();
    connect(port);
    await tick();
    gone();
    port.drop();
    await expect(first).rejects.toMatchObject({ code: ErrorCode.INTERNAL, message: expect.stringMatching(/media document closed/) });
    expect(hooks.lost).toHaveBeenCalledOnce();
    expect(backend.running).toBe(false);
    const again = backend.call('media.pc.create', { pcId: 'pc-2' });
    await tick();
    expect(api.createDocument).toHaveBeenCalledTimes(2);
    const port2 = new FakePort();
    connect(port2);
    await tick();
    port2.answerAll();
    await expect(again).resolves.toEqual({ ok: 'media.pc.create' });
  });

  it('gives up with a clear error when the document never connects, and retries on the next call', async () => {
    const { api, backend, connect } = setup();
    await expect(backend.call('media.ring', { on: true })).rejects.toMatchObject({
      code: ErrorCode.INTERNAL,
      message: expect.stringMatching(/media document did not start: no connection from the document within 200 ms/),
    });
    // The silent document gets its moment to connect back, then is replaced by a new one.
    const retry = backend.call('media.ring', { on: true });
    await new Promise((r) => setTimeout(r, 80));
    expect(api.closeDocument).toHaveBeenCalledTimes(1);
    expect(api.createDocument).toHaveBeenCalledTimes(2);
    const port = new FakePort();
    connect(port);
    await tick();
    port.answerAll();
    await expect(retry).resolves.toEqual({ ok: 'media.ring' });
  });
});
