import { ErrorCode, ProtocolError } from '../../shared/protocol';
import { Connection } from '../../shared/rpc/connection';
import type { BackendHooks, MediaBackend } from './backend';
import type { PcEventData } from './snapshot';
import { engineSide, fromEngineFrame, MEDIA_PORT_NAME, toEngineFrame, workerSide } from './offscreen-channel';

/** The slice of chrome.runtime.Port used here; tests pass a fake. */
export interface PortLike {
  name: string;
  sender?: { url?: string };
  postMessage(message: unknown): void;
  disconnect(): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

export interface OffscreenApi {
  /** chrome-extension://…/extension/offscreen/index.html */
  documentUrl: string;
  hasDocument(): Promise<boolean>;
  createDocument(): Promise<void>;
  closeDocument(): Promise<void>;
  /** runtime.onConnect; must be registered in the worker's first turn, hence in the constructor. */
  onConnect(listener: (port: PortLike) => void): void;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

/**
 * An engine call that never answers (a document stuck in a browser bug) fails after this. The
 * host gives up on its own requests sooner (10 s); this bounds the background's own calls.
 */
const ENGINE_CALL_TIMEOUT_MS = 60_000;

/**
 * Chrome: the engine lives in the offscreen document (the service worker has no DOM, no
 * getUserMedia, no RTCPeerConnection). The document is created on the first call, once, even when
 * several calls arrive together; it then connects back with a port. A document that outlived an
 * earlier worker and still carries calls connects back by itself and is adopted; one that does not
 * connect within a moment has nothing worth keeping and is replaced by a fresh one.
 */
export class OffscreenBackend implements MediaBackend {
  private port: PortLike | undefined;
  private ready: Promise<PortLike> | undefined;
  private waiters: ((port: PortLike) => void)[] = [];
  private readonly connection: Connection<typeof workerSide, typeof engineSide>;
  /** How many times this worker asked Chrome for the document (the tests expect one). */
  creations = 0;

  constructor(
    private readonly api: OffscreenApi,
    private readonly hooks: BackendHooks,
    private readonly connectTimeoutMs = 10_000,
    private readonly adoptWaitMs = 1_500,
  ) {
    this.connection = new Connection({
      local: workerSide,
      remote: engineSide,
      send: (m) => {
        const frame = toEngineFrame(m);
        const port = this.port;
        if (!frame || !port) throw new ProtocolError(ErrorCode.INTERNAL, `${frame?.method ?? 'a call'}: the media document is not connected`);
        try {
          port.postMessage(frame);
        } catch (err) {
          throw new ProtocolError(ErrorCode.INTERNAL, `${frame.method}: the media document is unreachable: ${(err as Error).message}`);
        }
      },
      timeoutMs: ENGINE_CALL_TIMEOUT_MS,
      timers: { set: (fn, ms) => api.setTimer(fn, ms), clear: (h) => api.clearTimer(h) },
      timeoutText: (method, ms) => `${method}: the media document did not answer within ${ms} ms`,
    });
    this.connection.on('media.pc', (data) => hooks.event(data as unknown as PcEventData));
    api.onConnect((port) => this.attach(port));
  }

  get running(): boolean {
    return this.port !== undefined;
  }

  call(method: string, params: unknown): Promise<unknown> {
    // One memoised promise: concurrent first calls share one creation and keep their order.
    this.ready ??= this.start();
    return this.ready.then((port) => this.send(port, method, params));
  }

  private async start(): Promise<PortLike> {
    if (this.port) return this.port;
    if (await this.api.hasDocument()) {
      const adopted = this.nextPort(this.adoptWaitMs);
      try {
        return await adopted.promise;
      } catch {
        // It did not come back: a document without calls, replaced below.
      }
      if (this.port) return this.port;
    }
    const connected = this.nextPort();
    try {
      if (await this.api.hasDocument()) await this.api.closeDocument();
      this.creations += 1;
      await this.api.createDocument();
      return await connected.promise;
    } catch (err) {
      connected.cancel();
      this.ready = undefined;
      throw new ProtocolError(ErrorCode.INTERNAL, `the media document did not start: ${(err as Error)?.message ?? String(err)}`);
    }
  }

  /** The next port our document opens, or an error after the timeout. */
  private nextPort(timeoutMs = this.connectTimeoutMs): { promise: Promise<PortLike>; cancel(): void } {
    let timer: unknown;
    let waiter: (port: PortLike) => void = () => undefined;
    const forget = () => {
      this.api.clearTimer(timer);
      this.waiters = this.waiters.filter((w) => w !== waiter);
    };
    const promise = new Promise<PortLike>((resolve, reject) => {
      waiter = (port) => {
        forget();
        resolve(port);
      };
      timer = this.api.setTimer(() => {
        forget();
        reject(new Error(`no connection from the document within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiters.push(waiter);
    });
    return { promise, cancel: forget };
  }

  private attach(port: PortLike): void {
    if (port.name !== MEDIA_PORT_NAME) return;
    // Only our offscreen document may serve as the engine.
    if (!port.sender?.url?.startsWith(this.api.documentUrl)) {
      port.disconnect();
      return;
    }
    if (this.port) this.detach('a new media document replaced the old one');
    this.port = port;
    port.onMessage.addListener((m) => {
      // Only the current document's frames count; one it replaced has nothing left to say.
      const message = port === this.port ? fromEngineFrame(m) : undefined;
      if (message) void this.connection.receive(message);
    });
    port.onDisconnect.addListener(() => {
      if (this.port === port) this.detach('the media document closed');
    });
    // Sent before anything else on this port, so the engine has the user's devices first.
    for (const [method, params] of this.hooks.startCalls()) {
      this.send(port, method, params).catch((err: unknown) => this.hooks.log(`${method} failed`, err));
    }
    this.ready = Promise.resolve(port);
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w(port);
  }

  private detach(reason: string): void {
    this.port = undefined;
    this.ready = undefined;
    this.connection.rejectPending((method) => new ProtocolError(ErrorCode.INTERNAL, `${method}: ${reason}`));
    this.hooks.lost(reason);
  }

  private send(port: PortLike, method: string, params: unknown): Promise<unknown> {
    if (port !== this.port) return Promise.reject(new ProtocolError(ErrorCode.INTERNAL, `${method}: the media document was replaced`));
    return this.connection.request(method, params);
  }
}
