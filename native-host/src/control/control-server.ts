import { chmod, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createServer, type Server, type Socket } from 'node:net';
import { Channel } from '../messaging/channel';
import { ensurePrivateDir } from './private-dir';

export interface ControlConnection {
  onMessage(value: unknown): void;
  onBadFrame(code: number, message: string): void;
  onClose(): void;
}

export interface ControlServer {
  readonly path: string;
  stop(): Promise<void>;
}

const MAX_CONNECTIONS = 32;

/**
 * The local control socket: the same framed envelope as native messaging, for the CLI and the OS
 * URL handler. Only called once the instance lock is held, so unlinking a leftover path is safe.
 */
export async function startControlServer(
  path: string,
  platform: NodeJS.Platform,
  uid: number | undefined,
  accept: (send: (m: unknown) => void) => ControlConnection,
): Promise<ControlServer> {
  const isPipe = platform === 'win32';
  if (!isPipe) {
    await ensurePrivateDir(dirname(path), uid);
    await unlink(path).catch(() => undefined);
  }
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    if (sockets.size >= MAX_CONNECTIONS) {
      socket.destroy();
      return;
    }
    sockets.add(socket);
    let channel: Channel | undefined;
    const conn = accept((m) => channel?.send(m as never));
    channel = new Channel(socket, socket, {
      onMessage: (v) => conn.onMessage(v),
      onBadFrame: (code, message) => conn.onBadFrame(code, message),
      onClose: () => {
        sockets.delete(socket);
        conn.onClose();
        socket.end();
      },
    });
    socket.on('close', () => channel?.close('eof'));
  });
  server.unref();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Node creates the socket with the umask's mode; tighten it before anyone can connect.
  if (!isPipe) await chmod(path, 0o600);
  return {
    path,
    async stop() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!isPipe) await unlink(path).catch(() => undefined);
    },
  };
}
