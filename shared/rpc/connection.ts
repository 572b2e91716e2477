import type * as z from 'zod';
import type { EventSpec, MethodSpec } from '../protocol/define';
import { isPush, isReply, requestSchema, type Message, type RequestId } from '../protocol/envelope';
import { ErrorCode, ProtocolError, type ProtocolErrorShape } from '../protocol/errors';

/** One end's vocabulary: the requests it answers and the pushes it hears (or, for the peer, sends). */
export interface Side {
  readonly methods: Readonly<Record<string, MethodSpec>>;
  readonly events: Readonly<Record<string, EventSpec>>;
}

type Methods<S extends Side> = keyof S['methods'] & string;
type Events<S extends Side> = keyof S['events'] & string;
export type ParamsIn<S extends Side, K extends Methods<S>> = z.output<S['methods'][K]['params']>;
export type ParamsOut<S extends Side, K extends Methods<S>> = z.input<S['methods'][K]['params']>;
export type ResultIn<S extends Side, K extends Methods<S>> = z.output<S['methods'][K]['result']>;
export type ResultOut<S extends Side, K extends Methods<S>> = z.input<S['methods'][K]['result']>;
export type EventData<S extends Side, K extends Events<S>> = z.output<S['events'][K]['data']>;
export type EventDataOut<S extends Side, K extends Events<S>> = z.input<S['events'][K]['data']>;

export type RequestHandler<S extends Side, K extends Methods<S>> = (
  params: ParamsIn<S, K>,
) => Promise<ResultOut<S, K>> | ResultOut<S, K>;

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

export interface RequestOptions {
  /** Overrides the connection's timeout for this one request. */
  timeoutMs?: number;
  /** Aborting rejects the request now (a late reply is then ignored). */
  signal?: AbortSignal;
}

export interface ConnectionOptions<Local extends Side, Remote extends Side> {
  /** What this end answers (methods) and hears (events). */
  local: Local;
  /** What the peer answers (this end's requests) and hears (this end's pushes). */
  remote: Remote;
  /** Writes one message to the transport; a throw means the peer is unreachable. */
  send(message: Message): void;
  /** The one timeout policy: every request fails with TIMEOUT after this, unless it names its own. */
  timeoutMs: number;
  /** Request ids: numbers from 1 unless a prefix is given (the host's `h<n>` never collide with a client's). */
  idPrefix?: string;
  /** Checks the peer's results against the remote table before resolving (off where the peer is trusted code of this build). */
  validateResults?: boolean;
  timers?: Timers;
  /** Wording of the TIMEOUT error, so each channel can name its peer. */
  timeoutText?(method: string, ms: number): string;
  /** Turns a plain Error thrown by a handler into the error reply (default: INTERNAL with its message). */
  internalError?(method: string, err: unknown): ProtocolError;
  /** A push or reply this end cannot use; the host answers it with an `{id: null, error}` frame. */
  onStray?(error: ProtocolError): void;
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(error: Error): void;
  timer: unknown;
  cleanup(): void;
}

const realTimers: Timers = {
  set: (fn, ms) => {
    const t = setTimeout(fn, ms) as unknown as { unref?: () => void };
    // A request must never keep a Node process (the CLI, the host) alive on its own.
    t.unref?.();
    return t;
  },
  clear: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/**
 * One message connection (after vscode-jsonrpc's MessageConnection) for every channel of the
 * product: requests with ids and one timeout policy, cancellation, every pending request rejected
 * when the transport goes, typed `handle(method)` and `on(event)` that return an unsubscribe
 * function, pushes validated on the way out and on the way in. The transport (a native port, a
 * socket, a runtime port, a child process) only moves `Message`s; an adapter translates where a
 * channel's frames have another shape.
 */
export class Connection<Local extends Side, Remote extends Side> {
  private readonly pending = new Map<RequestId, Pending>();
  private readonly handlers = new Map<string, (params: unknown) => unknown>();
  private readonly listeners = new Map<string, Set<(data: unknown) => void>>();
  private readonly taps = new Set<(event: string, data: unknown) => void>();
  private readonly timers: Timers;
  private nextId = 1;

  constructor(private readonly o: ConnectionOptions<Local, Remote>) {
    this.timers = o.timers ?? realTimers;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Serves one method of the local table; returns the function that stops serving it. */
  handle<K extends Methods<Local>>(method: K, handler: RequestHandler<Local, K>): () => void {
    const h = handler as (params: unknown) => unknown;
    this.handlers.set(method, h);
    return () => {
      if (this.handlers.get(method) === h) this.handlers.delete(method);
    };
  }

  /** Hears one event of the local table, with its data validated; returns the unsubscribe function. */
  on<K extends Events<Local>>(event: K, listener: (data: EventData<Local, K>) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    const l = listener as (data: unknown) => void;
    set.add(l);
    return () => void set.delete(l);
  }

  /** Every push as it arrived, before validation (diagnostics and legacy string listeners). */
  tap(listener: (event: string, data: unknown) => void): () => void {
    this.taps.add(listener);
    return () => void this.taps.delete(listener);
  }

  /**
   * A push to the peer. The data is checked against the remote table first, so a malformed push
   * fails here, loudly, rather than at the peer; what is sent is the caller's value unchanged.
   */
  notify<K extends Events<Remote>>(event: K, data: EventDataOut<Remote, K>): void {
    const spec = Object.hasOwn(this.o.remote.events, event) ? this.o.remote.events[event] : undefined;
    if (!spec) throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, `unknown event: ${String(event).slice(0, 64)}`);
    const parsed = spec.data.safeParse(data);
    if (!parsed.success) throw new ProtocolError(ErrorCode.INVALID_PARAMS, `invalid data for event ${event}${where(parsed.error)}`);
    this.o.send({ event, data });
  }

  request<K extends Methods<Remote>>(method: K, params?: ParamsOut<Remote, K>, options: RequestOptions = {}): Promise<ResultIn<Remote, K>> {
    const timeoutMs = options.timeoutMs ?? this.o.timeoutMs;
    const id: RequestId = this.o.idPrefix === undefined ? this.nextId++ : `${this.o.idPrefix}${this.nextId++}`;
    return new Promise((resolve, reject) => {
      if (options.signal?.aborted) {
        reject(cancelled(method));
        return;
      }
      const onAbort = () => {
        if (this.forget(id)) reject(cancelled(method));
      };
      const timer = this.timers.set(() => {
        if (this.forget(id)) reject(new ProtocolError(ErrorCode.TIMEOUT, this.o.timeoutText?.(method, timeoutMs) ?? `no answer to ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, {
        method,
        resolve: (value) => this.settleResult(method, value, resolve as (v: unknown) => void, reject),
        reject,
        timer,
        cleanup: () => options.signal?.removeEventListener('abort', onAbort),
      });
      try {
        this.o.send(params === undefined ? { id, method } : { id, method, params });
      } catch (err) {
        this.forget(id);
        reject(err instanceof ProtocolError ? err : new ProtocolError(ErrorCode.DISCONNECTED, `cannot send ${method}: ${(err as Error)?.message ?? String(err)}`));
      }
    });
  }

  /**
   * The transport went away (or is being replaced): every request still waiting fails now, with
   * the channel's own words. Handlers and listeners stay, for the next transport.
   */
  rejectPending(error: (method: string) => ProtocolError): void {
    for (const id of [...this.pending.keys()]) {
      const entry = this.pending.get(id);
      if (entry && this.forget(id)) entry.reject(error(entry.method));
    }
  }

  /**
   * One message from the peer. Resolves once a request's reply has been sent, so a caller can
   * await the whole exchange; never rejects. `replyVia` sends the reply where the request came
   * from (a port that has since been replaced must not carry it to a new peer that never asked).
   */
  async receive(value: unknown, replyVia: (message: Message) => void = this.o.send): Promise<void> {
    if (isReply(value) && !('method' in value)) {
      this.settle(value);
      return;
    }
    if (isPush(value)) {
      this.event(value.event, value.data);
      return;
    }
    const parsed = requestSchema.safeParse(value);
    if (!parsed.success) {
      this.reply(replyVia, extractId(value), undefined, new ProtocolError(ErrorCode.INVALID_REQUEST, 'not a request: expected {id, method, params?}'));
      return;
    }
    const { id, method, params } = parsed.data;
    try {
      this.reply(replyVia, id, await this.run(method, params));
    } catch (err) {
      this.reply(replyVia, id, undefined, err instanceof ProtocolError ? err : (this.o.internalError?.(method, err) ?? new ProtocolError(ErrorCode.INTERNAL, (err as Error)?.message ?? String(err))));
    }
  }

  private async run(method: string, rawParams: unknown): Promise<unknown> {
    const spec = Object.hasOwn(this.o.local.methods, method) ? this.o.local.methods[method] : undefined;
    if (!spec) throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, `unknown method: ${method.slice(0, 64)}`);
    const params = spec.params.safeParse(rawParams);
    if (!params.success) throw new ProtocolError(ErrorCode.INVALID_PARAMS, `invalid params for ${method}${where(params.error)}`);
    const handler = this.handlers.get(method);
    if (!handler) throw new ProtocolError(ErrorCode.UNKNOWN_METHOD, `no handler for ${method}`);
    return handler(params.data);
  }

  private settle(reply: { id: RequestId | null; result?: unknown; error?: ProtocolErrorShape }): void {
    const entry = reply.id === null ? undefined : this.pending.get(reply.id);
    if (!entry || reply.id === null) {
      this.o.onStray?.(new ProtocolError(ErrorCode.INVALID_REQUEST, 'reply to no pending request'));
      return;
    }
    this.forget(reply.id);
    if (reply.error) entry.reject(ProtocolError.from(reply.error));
    else entry.resolve(reply.result);
  }

  private settleResult(method: string, value: unknown, resolve: (v: unknown) => void, reject: (e: Error) => void): void {
    if (!this.o.validateResults) {
      resolve(value);
      return;
    }
    const spec = Object.hasOwn(this.o.remote.methods, method) ? this.o.remote.methods[method] : undefined;
    const parsed = spec?.result.safeParse(value);
    if (parsed?.success) resolve(parsed.data);
    else reject(new ProtocolError(ErrorCode.INVALID_PARAMS, `malformed result for ${method}`));
  }

  private event(name: string, raw: unknown): void {
    for (const t of this.taps) t(name, raw);
    const spec = Object.hasOwn(this.o.local.events, name) ? this.o.local.events[name] : undefined;
    if (!spec) {
      this.o.onStray?.(new ProtocolError(ErrorCode.UNKNOWN_METHOD, `unknown event: ${name.slice(0, 64)}`));
      return;
    }
    const data = spec.data.safeParse(raw);
    if (!data.success) {
      this.o.onStray?.(new ProtocolError(ErrorCode.INVALID_PARAMS, `invalid data for event ${name}`));
      return;
    }
    for (const l of [...(this.listeners.get(name) ?? [])]) l(data.data);
  }

  private reply(send: (message: Message) => void, id: RequestId | null, result?: unknown, error?: ProtocolError): void {
    try {
      if (error) send({ id, error: error.toJSON() });
      else send({ id: id as RequestId, result: result ?? null });
    } catch {
      // The peer is gone; it no longer waits for this reply.
    }
  }

  /** Drops a pending request; false when it was already settled. */
  private forget(id: RequestId): boolean {
    const entry = this.pending.get(id);
    if (!entry) return false;
    this.pending.delete(id);
    this.timers.clear(entry.timer);
    entry.cleanup();
    return true;
  }
}

function cancelled(method: string): ProtocolError {
  return new ProtocolError(ErrorCode.CANCELLED, `${method} was cancelled`);
}

function where(error: z.ZodError): string {
  const issue = error.issues[0];
  const at = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
  return `${at}: ${issue?.message ?? 'invalid'}`;
}

export function extractId(value: unknown): RequestId | null {
  if (typeof value !== 'object' || value === null || !('id' in value)) return null;
  const id = (value as { id: unknown }).id;
  if (typeof id === 'number' && Number.isInteger(id) && id >= 0) return id;
  if (typeof id === 'string' && id.length > 0 && id.length <= 64) return id;
  return null;
}
