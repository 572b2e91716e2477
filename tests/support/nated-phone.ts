import { createHash, randomBytes } from 'node:crypto';
import { createSocket, type RemoteInfo } from 'node:dgram';

/**
 * A UDP phone "behind a NAT", written out by hand so every header is under the test's control:
 * its Via and Contact name 10.99.0.1:5060, an address the sandbox cannot reach, while its packets
 * come from 127.0.0.1:<port>. It registers with digest auth, answers one INVITE with 200 (its
 * Contact again the private address), and answers the BYE. Only a proxy that routes by the source
 * address (received / alias) reaches it, in-dialog too. No media: an RTP socket just absorbs it.
 */
export interface NatedPhone {
  port: number;
  registered: Promise<void>;
  /** Resolves with the request line of the BYE it received (after it answered the INVITE). */
  bye: Promise<string>;
  close(): void;
}

const PRIVATE = '10.99.0.1:5060';
const md5 = (s: string) => createHash('md5').update(s).digest('hex');

interface Parsed {
  first: string;
  headers: string[];
}

function parse(text: string): Parsed {
  const head = text.split('\r\n\r\n')[0] ?? '';
  const [first = '', ...headers] = head.split('\r\n');
  return { first, headers };
}

const all = (p: Parsed, name: string) => p.headers.filter((h) => h.toLowerCase().startsWith(`${name.toLowerCase()}:`));
const one = (p: Parsed, name: string) => all(p, name)[0] ?? '';
const param = (header: string, key: string) => new RegExp(`${key}="?([^",]+)"?`, 'i').exec(header)?.[1] ?? '';

export async function startNatedPhone(o: { kamailioUdp: number; domain: string; user: string; password: string }): Promise<NatedPhone> {
  const sock = createSocket('udp4');
  const rtp = createSocket('udp4');
  await new Promise<void>((r) => sock.bind({ address: '127.0.0.1', port: 0 }, () => r()));
  await new Promise<void>((r) => rtp.bind({ address: '127.0.0.1', port: 0 }, () => r()));
  rtp.on('message', () => undefined);
  const callId = `${randomBytes(8).toString('hex')}@nated`;
  const aor = `sip:${o.user}@${o.domain}`;
  const send = (lines: string[], body = '', to?: RemoteInfo) => {
    const text = `${lines.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
    sock.send(text, to?.port ?? o.kamailioUdp, to?.address ?? '127.0.0.1');
  };
  const register = (cseq: number, authorization?: string) =>
    send([
      `REGISTER sip:${o.domain} SIP/2.0`,
      `Via: SIP/2.0/UDP ${PRIVATE};branch=z9hG4bK${randomBytes(6).toString('hex')};rport`,
      'Max-Forwards: 70',
      `From: <${aor}>;tag=nated`,
      `To: <${aor}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:${o.user}@${PRIVATE}>`,
      'Expires: 120',
      ...(authorization ? [authorization] : []),
    ]);

  let onRegistered: () => void = () => undefined;
  let onBye: (line: string) => void = () => undefined;
  const registered = new Promise<void>((r) => (onRegistered = r));
  const bye = new Promise<string>((r) => (onBye = r));

  sock.on('message', (buf, from) => {
    const msg = parse(buf.toString('utf8'));
    const cseq = one(msg, 'CSeq');
    if (msg.first.startsWith('SIP/2.0 401') && /1 REGISTER/.test(cseq)) {
      const challenge = one(msg, 'WWW-Authenticate');
      const realm = param(challenge, 'realm');
      const nonce = param(challenge, 'nonce');
      const cnonce = randomBytes(4).toString('hex');
      const uri = `sip:${o.domain}`;
      const response = md5(`${md5(`${o.user}:${realm}:${o.password}`)}:${nonce}:00000001:${cnonce}:auth:${md5(`REGISTER:${uri}`)}`);
      register(
        2,
        `Authorization: Digest username="${o.user}", realm="${realm}", nonce="${nonce}", uri="${uri}", response="${response}", algorithm=MD5, qop=auth, nc=00000001, cnonce="${cnonce}"`,
      );
    } else if (msg.first.startsWith('SIP/2.0 200') && /2 REGISTER/.test(cseq)) {
      onRegistered();
    } else if (msg.first.startsWith('INVITE ')) {
      const sdp = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', `m=audio ${rtp.address().port} RTP/AVP 0`, 'a=rtpmap:0 PCMU/8000', ''].join('\r\n');
      const to = one(msg, 'To');
      send(
        [
          'SIP/2.0 200 OK',
          ...all(msg, 'Via'),
          one(msg, 'From'),
          /;tag=/i.test(to) ? to : `${to};tag=natedcall`,
          one(msg, 'Call-ID'),
          cseq,
          ...all(msg, 'Record-Route'),
          `Contact: <sip:${o.user}@${PRIVATE}>`,
          'Content-Type: application/sdp',
        ],
        sdp,
        from,
      );
    } else if (msg.first.startsWith('BYE ')) {
      send(['SIP/2.0 200 OK', ...all(msg, 'Via'), one(msg, 'From'), one(msg, 'To'), one(msg, 'Call-ID'), cseq], '', from);
      onBye(msg.first);
    }
  });
  register(1);
  return {
    port: sock.address().port,
    registered,
    bye,
    close() {
      sock.close();
      rtp.close();
    },
  };
}
