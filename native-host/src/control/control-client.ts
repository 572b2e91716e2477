import { connect, type Socket } from 'node:net';
import type { z } from 'zod';
import { APP_VERSION } from '../../../shared/app-version';
import {
  ErrorCode,
  hostMethods,
  isReply,
  PROTOCOL_VERSION,
  ProtocolError,
  type HostMethodName,
} from '../../../shared/protocol';
import { Channel } from '../messaging/channel';

type Spec<K extends HostMethodName> = (typeof hostMethods)[K];

export interface ControlClient {
  request<K extends HostMethodName>(
    method: K,
    params?: z.input<Spec<K>['params']>,
    timeoutMs?: number,
  ): Promise<z.output<Spec<K>['result']>>;
  onEvent(listener: (event: string, data: unknown) => void): void;
  close(): void;
}

/** Connects to the running host's control socket and performs the hello handshake. */
export async function connectControl(path: string, app: string = APP_VERSION): Promise<ControlClient> {
  const socket: Socket = await new Promise((resolve, reject) => {
    const s = connect(path);
    s.once('connect', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED') {
        reject(new ProtocolError(ErrorCode.NOT_RUNNING, 'the VOIspeed UI is not running (open the browser with the extension)'));
      } else reject(err);
    });
  });
  let nextId = 1;
  const pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; timer: NodeJS.Timeout }>();
  const listeners: ((event: string, data: unknown) => void)[] = [];
  const channel = new Channel(socket, socket, {
    onMessage(value) {
      if (isReply(value)) {
        const entry = typeof value.id === 'number' ? pending.get(value.id) : undefined;
        if (!entry) return;
        pending.delete(value.id as number);
        clearTimeout(entry.timer);
        if ('error' in value) entry.reject(ProtocolError.from(value.error));
        else entry.resolve(value.result);
      } else if (value && typeof value === 'object' && 'event' in value) {
        const push = value as { event: string; data: unknown };
        for (const l of listeners) l(push.event, push.data);
      }
    },
    onBadFrame() {},
    onClose() {
      for (const [, entry] of pending) {
        clearTimeout(entry.timer);
        entry.reject(new ProtocolError(ErrorCode.DISCONNECTED, 'the VOIspeed UI closed the connection'));
      }
      pending.clear();
      socket.destroy();
    },
  });

  const client: ControlClient = {
    request(method, params, timeoutMs = 5000) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new ProtocolError(ErrorCode.TIMEOUT, `no answer to ${method} within ${timeoutMs} ms`));
        }, timeoutMs);
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
        channel.send({ id, method, ...(params === undefined ? {} : { params }) });
      });
    },
    onEvent(listener) {
      listeners.push(listener);
    },
    close() {
      channel.close('eof');
    },
  };
  try {
    await client.request('hello', { protocol: PROTOCOL_VERSION, app, client: 'cli' });
  } catch (err) {
    // An open socket would keep the CLI process alive after it reported the error.
    client.close();
    throw err;
  }
  return client;
}
