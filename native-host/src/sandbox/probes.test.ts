import { createSocket, type Socket } from 'node:dgram';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from './ports';
import { rtpenginePing, sipOptions, tcpAccepts, waitFor } from './probes';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

function udpServer(onMessage: (text: string, reply: (s: string) => void) => void): Promise<number> {
  return new Promise((resolve) => {
    const sock: Socket = createSocket('udp4');
    sock.on('message', (msg, rinfo) => onMessage(msg.toString(), (s) => sock.send(s, rinfo.port, rinfo.address)));
    sock.bind({ port: 0, address: '127.0.0.1' }, () => {
      cleanups.push(() => new Promise((r) => sock.close(() => r())));
      resolve(sock.address().port);
    });
  });
}

describe('sandbox readiness probes', () => {
  it('reads the final answer of an OPTIONS, skipping provisional ones', async () => {
    let request = '';
    const port = await udpServer((text, reply) => {
      request = text;
      const callId = /^Call-ID: (.*)$/m.exec(text)?.[1]?.trim();
      reply(`SIP/2.0 100 Trying\r\nCall-ID: ${callId}\r\n\r\n`);
      reply(`SIP/2.0 404 Not Found\r\nCall-ID: ${callId}\r\n\r\n`);
    });
    expect(await sipOptions(port, '2001', 'sandbox.voispeed.test')).toBe(404);
    expect(request).toMatch(/^OPTIONS sip:2001@sandbox\.voispeed\.test SIP\/2\.0\r\n/);
    expect(request).toMatch(/^Via: SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK/m);
    expect(await sipOptions(port, '', 'sandbox.voispeed.test')).toBe(404);
    expect(request).toMatch(/^OPTIONS sip:sandbox\.voispeed\.test SIP\/2\.0/);
  });

  it('ignores answers to another request and gives up after the timeout', async () => {
    const port = await udpServer((_text, reply) => reply('SIP/2.0 200 OK\r\nCall-ID: someone-else\r\n\r\n'));
    expect(await sipOptions(port, '2001', 'x.test', 150)).toBeUndefined();
  });

  it('pings rtpengine with its ng cookie', async () => {
    const port = await udpServer((text, reply) => {
      const [cookie, body] = text.split(' ');
      if (body === 'd7:command4:pinge') reply(`${cookie} d6:result4:ponge`);
    });
    expect(await rtpenginePing(port)).toBe(true);
    expect(await rtpenginePing(await freePort('udp'), 150)).toBe(false);
  });

  it('sees when a TCP port accepts', async () => {
    const server = createServer((s) => s.destroy());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise((r) => server.close(() => r())));
    const addr = server.address();
    expect(await tcpAccepts(typeof addr === 'object' && addr ? addr.port : 0)).toBe(true);
    expect(await tcpAccepts(await freePort('tcp'))).toBe(false);
  });

  it('waits until a check passes, or names what it waited for', async () => {
    let n = 0;
    await waitFor('n', async () => ++n >= 3, Date.now() + 1000, 1);
    expect(n).toBe(3);
    await expect(waitFor('the moon', async () => false, Date.now() + 30, 5)).rejects.toThrow('timed out waiting for the moon');
  });
});
