import type { z } from 'zod';
import {
  ErrorCode,
  extensionEvents,
  extensionMethods,
  hostMethods,
  isPush,
  isReply,
  PROTOCOL_VERSION,
  ProtocolError,
  requestSchema,
  session,
  type ExtensionEventName,
  type ExtensionMethodName,
  type HostMethodName,
  type Message,
  type RequestId,
} from '../../../shared/protocol';

type Spec<K extends HostMethodName> = (typeof hostMethods)[K];
export type Client = 'extension' | 'cli';

export interface SessionContext {
  readonly client: Client;
  readonly browser: string | undefined;
  push(event: string, data: unknown): void;
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
  /** A validated push from the client (the media bridge's peer-connection events). */
  onEvent?(event: ExtensionEventName, data: unknown, ctx: SessionContext): void;
  log?: { warn(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/**
 * One connected client: enforces the `hello` handshake, validates every request against the
 * shared method table and turns every failure into an error reply — never a throw.
 */
export class RpcSession implements SessionContext {
  client: Client = 'extension';
  browser: string | undefined;
  private greeted = false;
  private nextId = 1;
  private readonly pending = new Map<string, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout; method: string }>();

  constructor(private readonly opts: RpcSessionOptions) {}

  get isGreeted(): boolean {
    return this.greeted;
  }

  push(event: string, data: unknown): void {
    if (!this.greeted) return;
    try {
      this.opts.send({ event, data });
    } catch (err) {
      // A push has no id to carry an error back; one oversize event must not break a broadcast.
      this.opts.log?.error({ err, event }, 'push dropped');
    }
  }

  /**
   * A request to the client (host → extension). Ids are strings `h<n>`, so they never collide with
   * the client's own request ids.
   */
  request<K extends ExtensionMethodName>(
    method: K,
    params: z.input<(typeof extensionMethods)[K]['params']>,
    timeoutMs = 10_000,
  ): Promise<z.output<(typeof extensionMethods)[K]['result']>> {
    if (!this.greeted) return Promise.reject(new ProtocolError(ErrorCode.DISCONNECTED, 'no browser is connected'));
    const id = `h${this.nextId++}`;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new ProtocolError(ErrorCode.TIMEOUT, `the browser did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      timer.unref();
      this.pending.set(id, {
        resolve: (value) => {
          const parsed = extensionMethods[method].result.safeParse(value);
          if (parsed.success) resolve(parsed.data as never);
          else reject(new ProtocolError(ErrorCode.INVALID_PARAMS, `malformed result for ${method}`));
        },
        reject,
        timer,
        method,
      });
      try {
        this.opts.send({ id, method, params });
      } catch (err) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(err as Error);
      }
    });
  }

  /** The client went away: every request waiting for it fails now. */
  close(): void {
    for (const [id, entry] of this.pending) {
      clearTimeout(entry.timer);
      entry.reject(new ProtocolError(ErrorCode.DISCONNECTED, `the browser disconnected while ${entry.method} was pending`));
      this.pending.delete(id);
    }
  }

  badFrame(code: number, message: string): void {
    this.opts.send({ id: null, error: { code, message } });
  }

  async handle(value: unknown): Promise<void> {
    if (isReply(value) && !('method' in value)) {
      this.settle(value);
      return;
    }
    if (isPush(value)) {
      this.event(value);
      return;
    }
    const parsed = requestSchema.safeParse(value);
    if (!parsed.success) {
      const id = extractId(value);
      this.reply(id, undefined, new ProtocolError(ErrorCode.INVALID_REQUEST, 'not a request: expected {id, method, params?}'));
      return;
    }
    const { id, method, params } = parsed.data;
    try {
      const result = await this.run(method, params);
      this.reply(id, result);
    } catch (err) {
      if (err instanceof ProtocolError) {
        this.reply(id, undefined, err);
      } else {
        this.opts.log?.error({ err, method }, 'handler failed');
        this.reply(id, undefined, new ProtocolError(ErrorCode.INTERNAL, `internal error in ${method}`));
      }
    }
  }

  private async run(method: string, rawParams: unknown): Promise<unknown> {
    if (!Object.hasOwn(hostMethods, method)) {
      throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, `unknown method: ${method.slice(0, 64)}`);
    }
    const name = method as HostMethodName;
    const spec = hostMethods[name] as (typeof hostMethods)[HostMethodName];
    const params = spec.params.safeParse(rawParams);
    if (!params.success) {
      const issue = params.error.issues[0];
      const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      throw new ProtocolError(
        ErrorCode.INVALID_PARAMS,
        `invalid params for ${name}${where}: ${issue?.message ?? 'invalid'}`,
      );
    }
    if (name === 'hello') return this.hello(params.data as z.output<typeof session.hello.params>);
    if (!this.greeted) {
      throw new ProtocolError(ErrorCode.HANDSHAKE_REQUIRED, 'send hello first');
    }
    const handler = this.opts.handlers[name] as Handler<typeof name>;
    return handler(params.data as never, this);
  }

  private hello(params: z.output<typeof session.hello.params>) {
    if (params.protocol !== PROTOCOL_VERSION) {
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

  private settle(reply: { id: RequestId | null; result?: unknown; error?: { code: number; message: string } }): void {
    const entry = typeof reply.id === 'string' ? this.pending.get(reply.id) : undefined;
    if (!entry) {
      this.opts.send({ id: null, error: { code: ErrorCode.INVALID_REQUEST, message: 'reply to no pending request' } });
      return;
    }
    this.pending.delete(reply.id as string);
    clearTimeout(entry.timer);
    if (reply.error) entry.reject(ProtocolError.from(reply.error));
    else entry.resolve(reply.result);
  }

  private event(push: { event: string; data: unknown }): void {
    const name = push.event;
    if (!this.greeted || !Object.hasOwn(extensionEvents, name)) {
      this.opts.send({ id: null, error: { code: ErrorCode.UNKNOWN_METHOD, message: `unknown event: ${name.slice(0, 64)}` } });
      return;
    }
    const spec = extensionEvents[name as ExtensionEventName];
    const data = spec.data.safeParse(push.data);
    if (!data.success) {
      this.opts.send({ id: null, error: { code: ErrorCode.INVALID_PARAMS, message: `invalid data for event ${name}` } });
      return;
    }
    this.opts.onEvent?.(name as ExtensionEventName, data.data, this);
  }

  private reply(id: RequestId | null, result?: unknown, error?: ProtocolError): void {
    if (error) this.opts.send({ id, error: error.toJSON() });
    else this.opts.send({ id: id as RequestId, result: result ?? null });
  }
}

function extractId(value: unknown): RequestId | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = (value as { id: unknown }).id;
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return id;
  if (typeof id === 'string' && id.length > 0 && id.length <= 64) return id;
  return null;
}
