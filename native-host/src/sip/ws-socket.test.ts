import { WebSocketServer } from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { WsSocket } from './ws-socket';

describe('WsSocket: no received message can throw out of the socket', () => {
  let server: WebSocketServer | undefined;
  afterEach(async () => {
    for (const c of server?.clients ?? []) c.terminate();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  });

  it('a message whose handling throws is reported and dropped; the next one still arrives', async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, handleProtocols: () => 'sip' });
    await new Promise<void>((r) => server!.once('listening', () => r()));
    server.on('connection', (ws) => {
      ws.send('INVITE sip:1001@x SIP/2.0\r\nFrom: <sip:0261616161%FF@x>\r\n\r\n');
      ws.send('OPTIONS sip:1001@x SIP/2.0\r\n\r\n');
    });
    const socket = new WsSocket(`ws://127.0.0.1:${(server.address() as { port: number }).port}`);
    const errors: [unknown, string][] = [];
    const handled: string[] = [];
    socket.onerror = (err, head) => errors.push([err, head]);
    const second = new Promise<void>((resolve) => {
      socket.ondata = (text) => {
        if (text.startsWith('INVITE')) throw new URIError('URI malformed');
        handled.push(text.split('\r\n')[0]!);
        resolve();
      };
    });
    socket.connect();
    await second;
    expect(errors).toEqual([[expect.any(URIError), 'INVITE sip:1001@x SIP/2.0']]);
    expect(handled).toEqual(['OPTIONS sip:1001@x SIP/2.0']);
    expect(socket.isConnected()).toBe(true);
    socket.disconnect();
  });
});
