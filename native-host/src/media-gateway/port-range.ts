import dgram from 'node:dgram';

export interface PortRange {
  min: number;
  max: number;
}

export class NoFreePortError extends Error {
  constructor(range: PortRange, address: string) {
    super(`no free RTP port pair in ${range.min}-${range.max} on ${address}`);
    this.name = 'NoFreePortError';
  }
}

export interface SocketPair {
  rtp: dgram.Socket;
  rtcp: dgram.Socket;
  port: number;
}

function bind(address: string, port: number): Promise<dgram.Socket | undefined> {
  return new Promise((resolve) => {
    const s = dgram.createSocket({ type: 'udp4' });
    const onError = () => {
      s.close();
      resolve(undefined);
    };
    s.once('error', onError);
    s.bind({ address, port, exclusive: true }, () => {
      s.removeListener('error', onError);
      resolve(s);
    });
  });
}

/** Where the next search starts: calls in a row get different ports, so a late packet of the last call never lands in the next. */
let cursor = 0;

/** Binds an even RTP port and the odd RTCP port above it (RFC 3550 section 11), within the range. */
export async function bindPair(range: PortRange, address: string): Promise<SocketPair> {
  const first = range.min + (range.min % 2);
  const pairs = Math.max(0, Math.floor((range.max - first + 1) / 2));
  for (let i = 0; i < pairs; i++) {
    const port = first + 2 * ((cursor + i) % pairs);
    const rtp = await bind(address, port);
    if (!rtp) continue;
    const rtcp = await bind(address, port + 1);
    if (!rtcp) {
      rtp.close();
      continue;
    }
    cursor = (cursor + i + 1) % pairs;
    return { rtp, rtcp, port };
  }
  throw new NoFreePortError(range, address);
}

/** The local address the OS would use toward `host` (no packet is sent: connect() on UDP only routes). */
export function localAddressToward(host: string): Promise<string> {
  return new Promise((resolve) => {
    const s = dgram.createSocket('udp4');
    const done = (address: string) => {
      try {
        s.close();
      } catch {
        // already closed
      }
      resolve(address);
    };
    s.once('error', () => done('127.0.0.1'));
    s.connect(9, host, () => done(s.address().address));
  });
}
