import { connect, type Socket } from 'node:net';
import type * as z from 'zod';
import { APP_VERSION } from '../../../shared/app-version';
import {
  ErrorCode,
  hostEvents,
  hostSide,
  PROTOCOL_VERSION,
  ProtocolError,
  type hostMethods,
  type HostEventName,
  type HostMethodName,
} from '../../../shared/protocol';
import { Connection } from '../../../shared/rpc/connection';
import { Channel } from '../messaging/channel';

type Spec<K extends HostMethodName> = (typeof hostMethods)[K];

export interface ControlClient {
  request<K extends HostMethodName>(
    method: K,
    params?: z.input<Spec<K>['params']>,
    timeoutMs?: number,
  ): Promise<z.output<Spec<K>['result']>>;
  /** Every push as it arrived, by name. */
  onEvent(listener: (event: string, data: unknown) => void): void;
  /** One push, validated against the shared table; returns the unsubscribe. */
  on<K extends HostEventName>(event: K, listener: (data: z.output<(typeof hostEvents)[K]['data']>) => void): () => void;
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
  const connection = new Connection({
    // The CLI answers nothing; it hears the host's pushes.
    local: { methods: {}, events: hostEvents },
    remote: hostSide,
    send: (m) => channel.send(m),
    timeoutMs: 5000,
  });
  const channel = new Channel(socket, socket, {
    onMessage: (value) => void connection.receive(value),
    onBadFrame() {},
    onClose() {
      connection.rejectPending(() => new ProtocolError(ErrorCode.DISCONNECTED, 'the VOIspeed UI closed the connection'));
      socket.destroy();
    },
  });

  const client: ControlClient = {
    request: (method, params, timeoutMs) => connection.request(method, params, timeoutMs === undefined ? {} : { timeoutMs }),
    onEvent: (listener) => void connection.tap(listener),
    on: (event, listener) => connection.on(event, listener),
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
