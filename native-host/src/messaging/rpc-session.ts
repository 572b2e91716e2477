import type * as z from 'zod';
import {
  ErrorCode,
  extensionSide,
  hostMethods,
  hostSide,
  MIN_CLI_PROTOCOL,
  PROTOCOL_VERSION,
  ProtocolError,
  session,
  type ExtensionEventName,
  type ExtensionMethodName,
  type extensionMethods,
  type HostEventName,
  type hostEvents,
  type HostMethodName,
  type Message,
} from '../../../shared/protocol';
import { Connection } from '../../../shared/rpc/connection';

type Spec<K extends HostMethodName> = (typeof hostMethods)[K];
export type Client = 'extension' | 'cli';

export interface SessionContext {
  readonly client: Client;
  readonly browser: string | undefined;
  push<K extends HostEventName>(event: K, data: z.input<(typeof hostEvents)[K]['data']>): void;
}

export type Handler<K extends HostMethodName> = (
  params: z.output<Spec<K>['params']>,
  ctx: SessionContext,
) => Promise<z.input<Spec<K>['result']>> | z.input<Spec<K>['result']>;

export type Handlers = { [K in Exclude<HostMethodName, 'hello'>]: Handler<K> };

export interface RpcSessionOptions {
  app: string;
  handlers: Handlers;
  role(): 'primary' | 'secondary';
  send(message: Message): void;
  onHello?(ctx: SessionContext): void;
  /** Runs inside the first hello, before the role is computed (a browser claims the media bridge). */
  onGreet?(ctx: SessionContext): void;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** How long the browser has to answer one of the host's requests. */
const EXTENSION_TIMEOUT_MS = 10_000;

/**
 * One connected client over the shared `Connection`: enforces the `hello` handshake, serves the
 * host's methods (validated against the shared table) and turns every failure into an error
 * reply — never a throw.
 */
export class RpcSession implements SessionContext {
  client: Client = 'extension';
  browser: string | undefined;
  private greeted = false;
  private readonly connection: Connection<typeof hostSide, typeof extensionSide>;

  constructor(private readonly opts: RpcSessionOptions) {
    this.connection = new Connection({
      local: hostSide,
      remote: extensionSide,
      send: (m) => opts.send(m),
      timeoutMs: EXTENSION_TIMEOUT_MS,
      // Ids `h<n>` never collide with the client's own request ids.
      idPrefix: 'h',
      // The browser's answers feed JsSIP and Integra: checked like any other network value.
      validateResults: true,
      timeoutText: (method, ms) => `the browser did not answer ${method} within ${ms} ms`,
      internalError: (method, err) => {
        opts.log?.error({ err, method }, 'handler failed');
        return new ProtocolError(ErrorCode.INTERNAL, `internal error in ${method}`);
      },
      onStray: (error) => opts.send({ id: null, error: error.toJSON() }),
    });
    this.connection.handle('hello', (params) => this.hello(params));
    for (const name of Object.keys(hostMethods) as HostMethodName[]) {
      if (name === 'hello') continue;
      this.connection.handle(name, (params: unknown) => {
        if (!this.greeted) throw new ProtocolError(ErrorCode.HANDSHAKE_REQUIRED, 'send hello first');
        const handler = opts.handlers[name] as Handler<typeof name>;
        return handler(params as never, this) as never;
      });
    }
  }

  get isGreeted(): boolean {
    return this.greeted;
  }

  /** A push to this client, checked against the event table first; dropped before the hello. */
  push<K extends HostEventName>(event: K, data: z.input<(typeof hostEvents)[K]['data']>): void {
    if (!this.greeted) return;
    try {
      this.connection.notify(event, data as never);
    } catch (err) {
      // A push has no id to carry an error back; one bad or oversize event must not break a broadcast.
      this.opts.log?.error({ err, event }, 'push dropped');
    }
  }

  /** A push from the client (the media bridge's peer-connection events), validated; returns the unsubscribe. */
  on<K extends ExtensionEventName>(event: K, listener: (data: z.output<(typeof hostSide)['events'][K]['data']>) => void): () => void {
    return this.connection.on(event, listener);
  }

  /** A request to the client (host → extension). */
  request<K extends ExtensionMethodName>(
    method: K,
    params: z.input<(typeof extensionMethods)[K]['params']>,
    timeoutMs?: number,
  ): Promise<z.output<(typeof extensionMethods)[K]['result']>> {
    if (!this.greeted) return Promise.reject(new ProtocolError(ErrorCode.DISCONNECTED, 'no browser is connected'));
    return this.connection.request(method, params, timeoutMs === undefined ? {} : { timeoutMs });
  }

  /** The client went away: every request waiting for it fails now. */
  close(): void {
    this.connection.rejectPending((method) => new ProtocolError(ErrorCode.DISCONNECTED, `the browser disconnected while ${method} was pending`));
  }

  badFrame(code: number, message: string): void {
    this.opts.send({ id: null, error: { code, message } });
  }

  handle(value: unknown): Promise<void> {
    // Before the hello, a client has no events to send.
    if (!this.greeted && typeof value === 'object' && value !== null && 'event' in value && !('id' in value)) {
      const name = String((value as { event: unknown }).event).slice(0, 64);
      this.opts.send({ id: null, error: { code: ErrorCode.UNKNOWN_METHOD, message: `unknown event: ${name}` } });
      return Promise.resolve();
    }
    return this.connection.receive(value);
  }

  private hello(params: z.output<typeof session.hello.params>) {
    // A CLI speaks to the host only, and nothing it uses changed since MIN_CLI_PROTOCOL.
    const accepted = params.protocol === PROTOCOL_VERSION || (params.client === 'cli' && params.protocol >= MIN_CLI_PROTOCOL && params.protocol < PROTOCOL_VERSION);
    if (!accepted) {
      throw new ProtocolError(
        ErrorCode.VERSION_MISMATCH,
        `protocol ${params.protocol} from ${params.client} ${params.app}, host speaks ${PROTOCOL_VERSION} (${this.opts.app}): update the older side`,
        { host: PROTOCOL_VERSION, hostApp: this.opts.app },
      );
    }
    this.client = params.client;
    this.browser = params.browser;
    const first = !this.greeted;
    this.greeted = true;
    if (first) this.opts.onGreet?.(this);
    const result = {
      protocol: PROTOCOL_VERSION,
      app: this.opts.app,
      pid: process.pid,
      role: this.opts.role(),
    };
    // The reply must precede the first push, so the greeting hook runs on the next tick.
    if (first && this.opts.onHello) queueMicrotask(() => setImmediate(() => this.opts.onHello?.(this)));
    return result;
  }
}
