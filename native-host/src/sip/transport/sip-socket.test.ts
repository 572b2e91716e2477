import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createServer, type Socket as NetSocket } from 'node:net';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { parseServer } from '../../../../shared/sip-server/server-address';
import type { DnsResolver } from './resolve';
import { LOCAL_PLACEHOLDER, SipSocket } from './sip-socket';

const log = pino({ level: 'silent' });
const server = (text: string) => {
  const r = parseServer(text);
  if (!r.ok || r.server.kind !== 'sip') throw new Error(text);
  return r.server;
};
/** What JsSIP writes with contact_uri `sip:1001@voispeed-local.invalid;transport=udp` (ua-config.ts). */
const register = (branch: string) =>
  `REGISTER sip:pbx.test SIP/2.0\r\nVia: SIP/2.0/UDP ${LOCAL_PLACEHOLDER};branch=${branch}\r\nCSeq: 1 REGISTER\r\nContact: <sip:1001@${LOCAL_PLACEHOLDER};transport=udp>;expires=300\r\nContent-Length: 0\r\n\r\n`;

/** A UDP "PBX" on loopback that records what it gets and answers as told. */
async function fakePbx() {
  const socket: Socket = createSocket('udp4');
  const got: { text: string; from: RemoteInfo }[] = [];
  let waiters: { n: number; resolve: () => void }[] = [];
  socket.on('message', (m, from) => {
    got.push({ text: m.toString(), from });
    const ready = waiters.filter((w) => got.length >= w.n);
    waiters = waiters.filter((w) => got.length < w.n);
    ready.forEach((w) => w.resolve());
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  return {
    port: socket.address().port,
    got,
    next: (n: number) => new Promise<void>((resolve) => (got.length >= n ? resolve() : waiters.push({ n, resolve }))),
    send: (text: string | Buffer, to: RemoteInfo) => socket.send(typeof text === 'string' ? Buffer.from(text) : text, to.port, to.address),
    close: () => socket.close(),
  };
}

describe('SipSocket over UDP (real sockets on loopback)', () => {
  const cleanup: (() => void)[] = [];
  afterEach(() => cleanup.splice(0).forEach((c) => c()));

  function open(text: string, resolver?: DnsResolver, timers: { keepAliveMs?: number; pongTimeoutMs?: number } = {}) {
    const s = new SipSocket({ server: server(text), text, log, ...(resolver ? { resolver } : {}), ...timers });
    const data: string[] = [];
    const events: string[] = [];
    s.ondata = (d) => data.push(d);
    s.onconnect = () => events.push('connect');
    s.ondisconnect = (error, _code, reason) => events.push(`disconnect ${error} ${reason}`);
    cleanup.push(() => s.disconnect());
    s.connect();
    return { s, data, events, until: async (pred: () => boolean) => { while (!pred()) await new Promise((r) => setTimeout(r, 5)); } };
  }

  it('writes its real address in Via (with rport) and Contact; learns the public one from received/rport', async () => {
    const pbx = await fakePbx();
    cleanup.push(pbx.close);
    const c = open(`sip:127.0.0.1:${pbx.port};transport=udp`);
    await c.until(() => c.events.includes('connect'));
    expect(c.s.via_transport).toBe('UDP');
    expect(c.s.send(register('z9hG4bK1'))).toBe(true);
    await pbx.next(1);
    const { text, from } = pbx.got[0]!;
    expect(text).toContain(`Via: SIP/2.0/UDP 127.0.0.1:${from.port};rport;branch=z9hG4bK1\r\n`);
    expect(text).toContain(`Contact: <sip:1001@127.0.0.1:${from.port};transport=udp>;expires=300\r\n`);

    const seen: string[] = [];
    c.s.onpublicaddress = (a) => seen.push(a);
    pbx.send(`SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 127.0.0.1:${from.port};rport=61000;received=192.0.2.7;branch=z9hG4bK1\r\nCSeq: 1 REGISTER\r\nContent-Length: 0\r\n\r\n`, from);
    await c.until(() => c.data.length === 1);
    expect(seen).toEqual(['192.0.2.7:61000']);
    c.s.send(register('z9hG4bK2'));
    await pbx.next(2);
    // Via keeps the local address (RFC 3581); Contact now names the public one.
    expect(pbx.got[1]!.text).toContain(`Via: SIP/2.0/UDP 127.0.0.1:${from.port};rport;branch=z9hG4bK2`);
    expect(pbx.got[1]!.text).toContain('Contact: <sip:1001@192.0.2.7:61000;transport=udp>');
  });

  it('drops what is not SIP and keeps delivering what is', async () => {
    const pbx = await fakePbx();
    cleanup.push(pbx.close);
    const c = open(`sip:127.0.0.1:${pbx.port}`);
    await c.until(() => c.events.includes('connect'));
    c.s.send(register('z9hG4bK3'));
    await pbx.next(1);
    const to = pbx.got[0]!.from;
    pbx.send(Buffer.from([0, 1, 2, 3]), to);
    pbx.send('\r\n\r\n', to);
    pbx.send('OPTIONS sip:1001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1;branch=z9hG4bKo\r\nCSeq: 5 OPTIONS\r\nContent-Length: 0\r\n\r\n', to);
    await c.until(() => c.data.length === 1);
    expect(c.data[0]).toMatch(/^OPTIONS /);
    expect(c.s.isConnected()).toBe(true);
  });

  it('an ICMP "port unreachable" (nobody listening) is a lost transport JsSIP will retry', async () => {
    const pbx = await fakePbx();
    const port = pbx.port;
    pbx.close();
    const c = open(`sip:127.0.0.1:${port}`);
    await c.until(() => c.events.includes('connect'));
    c.s.send(register('z9hG4bK4'));
    await c.until(() => c.events.length === 2);
    expect(c.events[1]).toBe('disconnect true Connection Error: ECONNREFUSED');
    expect(c.s.isConnected()).toBe(false);
  });

  it('a name that does not resolve is a DNS Error; a SRV failover goes to the next target', async () => {
    const nx = () => Promise.reject(new Error('ENOTFOUND'));
    const none = open('sip:nowhere.test', { resolveNaptr: nx, resolveSrv: nx, lookup: nx });
    await none.until(() => none.events.length === 1);
    expect(none.events[0]).toBe('disconnect true DNS Error: cannot resolve nowhere.test: no NAPTR, SRV or address record');

    const tcp = createServer((conn) => conn.on('error', () => undefined));
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    cleanup.push(() => tcp.close());
    const live = (tcp.address() as { port: number }).port;
    const srv = (name: string) =>
      name === '_sip._tcp.pbx.test'
        ? Promise.resolve([
            { name: 'live.pbx.test', port: live, priority: 1, weight: 0 },
            { name: 'dead.pbx.test', port: 1, priority: 0, weight: 0 },
          ])
        : nx();
    const c = open('sip:pbx.test;transport=tcp', { resolveNaptr: nx, resolveSrv: srv, lookup: async () => ['127.0.0.1'] });
    // Priority 0 first: port 1 refuses; then the priority-1 target takes the connection.
    await c.until(() => c.events.length === 1);
    expect(c.events).toEqual(['connect']);
    expect(c.s.addresses().target).toBe(`tcp:127.0.0.1:${live}`);
    expect(c.s.via_transport).toBe('TCP');
  });

  it('UDP: a CRLFCRLF keep-alive goes out on every tick (it keeps a NAT mapping open)', async () => {
    const pbx = await fakePbx();
    cleanup.push(pbx.close);
    const c = open(`sip:127.0.0.1:${pbx.port}`, undefined, { keepAliveMs: 30 });
    await c.until(() => c.events.includes('connect'));
    await pbx.next(3);
    expect(pbx.got.slice(0, 3).map((g) => g.text)).toEqual(['\r\n\r\n', '\r\n\r\n', '\r\n\r\n']);
  });

  async function tcpServer(onData: (conn: NetSocket, chunk: string) => void, onConnect: (conn: NetSocket) => void = () => undefined) {
    const tcp = createServer((conn) => {
      conn.on('error', () => undefined);
      conn.on('data', (d) => onData(conn, d.toString()));
      onConnect(conn);
    });
    await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
    cleanup.push(() => tcp.close());
    return (tcp.address() as { port: number }).port;
  }

  it("TCP (RFC 5626): the server's CRLFCRLF ping gets a CRLF pong", async () => {
    let received = '';
    const port = await tcpServer(
      (_conn, chunk) => (received += chunk),
      (conn) => conn.write('\r\n\r\n'),
    );
    const c = open(`sip:127.0.0.1:${port};transport=tcp`, undefined, { keepAliveMs: 60_000 });
    await c.until(() => received.length > 0);
    expect(received).toBe('\r\n');
    expect(c.s.isConnected()).toBe(true);
  });

  it('TCP: a server that answered a ping and then stays silent is dropped (JsSIP reconnects)', async () => {
    let answered = false;
    const port = await tcpServer((conn, chunk) => {
      if (chunk.includes('\r\n\r\n') && !answered) {
        answered = true;
        conn.write('\r\n');
      }
    });
    const c = open(`sip:127.0.0.1:${port};transport=tcp`, undefined, { keepAliveMs: 40, pongTimeoutMs: 150 });
    await c.until(() => c.events.length === 2);
    expect(answered).toBe(true);
    expect(c.events).toEqual(['connect', 'disconnect true Connection Error: no answer to keep-alive']);
  });

  it('TCP: a server that never answers pings is not dropped for it (RFC 5626 support is optional)', async () => {
    let pings = 0;
    const port = await tcpServer((_conn, chunk) => (pings += chunk.split('\r\n\r\n').length - 1));
    const c = open(`sip:127.0.0.1:${port};transport=tcp`, undefined, { keepAliveMs: 20, pongTimeoutMs: 30 });
    await c.until(() => pings >= 5);
    expect(c.events).toEqual(['connect']);
  });
});
