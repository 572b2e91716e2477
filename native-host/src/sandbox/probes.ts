import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { connect } from 'node:net';
import { LOOPBACK } from './ports';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** True once something accepts a TCP connection on the port. */
export function tcpAccepts(port: number, timeoutMs = 500, host = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ port, host });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      sock.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => done(false), timeoutMs);
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
  });
}

/** Sends one UDP datagram and resolves with the first answer accepted by `match`, or undefined. */
export function udpExchange(
  port: number,
  payload: string,
  match: (reply: string) => boolean,
  timeoutMs: number,
  host = LOOPBACK,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    const sock = createSocket('udp4');
    let settled = false;
    const finish = (value: string | undefined) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      sock.close();
      resolve(value);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    // ECONNREFUSED (ICMP port unreachable) arrives here when nothing listens yet.
    sock.on('error', () => finish(undefined));
    sock.on('message', (msg) => {
      const text = msg.toString('utf8');
      if (match(text)) finish(text);
    });
    sock.bind({ address: host, port: 0 }, () => {
      const local = sock.address().port;
      sock.send(payload.replaceAll('{LPORT}', String(local)), port, host, (err) => {
        if (err) finish(undefined);
      });
    });
  });
}

/** rtpengine's ng protocol: `<cookie> <bencoded dict>`; a ping answers `d6:result4:ponge`. */
export async function rtpenginePing(port: number, timeoutMs = 300): Promise<boolean> {
  const cookie = randomBytes(6).toString('hex');
  const reply = await udpExchange(port, `${cookie} d7:command4:pinge`, (r) => r.startsWith(`${cookie} `), timeoutMs);
  return reply !== undefined && reply.includes('4:pong');
}

/**
 * Sends SIP OPTIONS for `user` through Kamailio and returns the final status code (undefined on
 * timeout). 200 proves the whole path: Kamailio routes, the user is registered, and answers.
 * An empty user asks Kamailio itself.
 */
export async function sipOptions(kamailioUdp: number, user: string, domain: string, timeoutMs = 500, host = LOOPBACK): Promise<number | undefined> {
  const target = user ? `sip:${user}@${domain}` : `sip:${domain}`;
  const callId = `${randomBytes(8).toString('hex')}@${host}`;
  const branch = `z9hG4bK${randomBytes(8).toString('hex')}`;
  const msg = [
    `OPTIONS ${target} SIP/2.0`,
    `Via: SIP/2.0/UDP ${host}:{LPORT};branch=${branch};rport`,
    'Max-Forwards: 10',
    `From: <sip:probe@${domain}>;tag=${randomBytes(4).toString('hex')}`,
    `To: <${target}>`,
    `Call-ID: ${callId}`,
    'CSeq: 1 OPTIONS',
    `Contact: <sip:probe@${host}:{LPORT}>`,
    'Accept: application/sdp',
    'User-Agent: voispeed-sandbox-probe',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const reply = await udpExchange(
    kamailioUdp,
    msg,
    (r) => {
      const code = statusCode(r);
      return code !== undefined && code >= 200 && r.includes(callId);
    },
    timeoutMs,
    host,
  );
  return reply === undefined ? undefined : statusCode(reply);
}

function statusCode(reply: string): number | undefined {
  const m = /^SIP\/2\.0 (\d{3}) /.exec(reply);
  return m ? Number(m[1]) : undefined;
}

/** Polls `check` until it is true or the deadline passes. */
export async function waitFor(what: string, check: () => Promise<boolean>, deadline: number, everyMs = 50): Promise<void> {
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
