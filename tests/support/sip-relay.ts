import { createSocket, type RemoteInfo, type Socket as DgramSocket } from 'node:dgram';
import { createServer, connect, type Server, type Socket } from 'node:net';

/**
 * A fault injector between the host and the real Kamailio: it relays SIP both ways unchanged
 * (Kamailio sees the relay as the client, as behind a NAT) and lets a test push bad bytes to the
 * host from the PBX's side of the path: a datagram that is not SIP, a cut TCP message, a huge header.
 */
export interface UdpRelay {
  port: number;
  /** Sends raw bytes to the host (the last client seen) as if from the PBX. */
  injectToClient(bytes: Buffer): void;
  client(): RemoteInfo | undefined;
  /** Every datagram the host sent, as text. */
  fromClient(): string[];
  close(): void;
}

/**
 * `backAddress` 127.0.0.2 makes the relay a NAT as Kamailio sees it (the source differs from the
 * Via host, so it stores the relay's address and port as the contact).
 */
export interface Impairment {
  /** Share of datagrams dropped, each direction (0.1 = 10 %). */
  loss: number;
  /** Each datagram is held a uniform random time in [min, max] ms (so they also reorder). */
  delayMs: [number, number];
  random: () => number;
}

export async function udpRelay(pbxPort: number, pbxHost = '127.0.0.1', backAddress = '127.0.0.2', impair?: Impairment): Promise<UdpRelay> {
  const front: DgramSocket = createSocket('udp4');
  const back: DgramSocket = createSocket('udp4');
  let client: RemoteInfo | undefined;
  const seen: string[] = [];
  let closed = false;
  const pass = (send: () => void) => {
    if (!impair) return send();
    if (impair.random() < impair.loss) return;
    const [min, max] = impair.delayMs;
    setTimeout(() => closed || send(), min + impair.random() * (max - min));
  };
  front.on('message', (msg, rinfo) => {
    client = rinfo;
    seen.push(msg.toString('utf8'));
    pass(() => back.send(msg, pbxPort, pbxHost));
  });
  back.on('message', (msg) => {
    const to = client;
    if (to) pass(() => front.send(msg, to.port, to.address));
  });
  await Promise.all([new Promise<void>((r) => front.bind(0, '127.0.0.1', r)), new Promise<void>((r) => back.bind(0, backAddress, r))]);
  return {
    port: front.address().port,
    injectToClient: (bytes) => client && front.send(bytes, client.port, client.address),
    client: () => client,
    fromClient: () => seen,
    close: () => {
      closed = true;
      front.close();
      back.close();
    },
  };
}

export interface TcpRelay {
  port: number;
  /** Writes raw bytes to the host's connection(s) as if from the PBX. */
  injectToClient(bytes: Buffer, thenClose?: boolean): void;
  connections(): number;
  /** Connections accepted so far (a reconnect makes it grow). */
  accepted(): number;
  close(): Promise<void>;
}

export async function tcpRelay(pbxPort: number, pbxHost = '127.0.0.1'): Promise<TcpRelay> {
  const live = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((clientSide) => {
    accepted += 1;
    const pbxSide = connect(pbxPort, pbxHost);
    live.add(clientSide);
    clientSide.pipe(pbxSide);
    pbxSide.pipe(clientSide);
    const end = () => {
      live.delete(clientSide);
      clientSide.destroy();
      pbxSide.destroy();
    };
    clientSide.on('close', end).on('error', end);
    pbxSide.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : 0,
    injectToClient(bytes, thenClose = false) {
      for (const s of live) {
        s.write(bytes);
        if (thenClose) s.end();
      }
    },
    connections: () => live.size,
    accepted: () => accepted,
    close: () =>
      new Promise<void>((r) => {
        for (const s of live) s.destroy();
        server.close(() => r());
      }),
  };
}
