import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { isIPv6, type Socket as NetSocket } from 'node:net';
import type { Logger } from '../../log';
import { connectStream, CAUSE_DNS, TransportFailure } from './stream-connect';
import { DnsResolutionError, resolveSipServer, systemResolver, type DnsResolver, type SipServer, type SipTarget } from './resolve';
import { describeHead, MAX_SIP_MESSAGE_BYTES, readDatagram, SipStreamFramer } from './sip-framing';
import { peekSip } from './sip-peek';
import { UdpReliability } from './udp-reliability';

/**
 * The host part JsSIP is given for Via and Contact (ua-config.ts): the real address is only known
 * once the socket is bound, so the socket writes it into each message it sends.
 */
export const LOCAL_PLACEHOLDER = 'voispeed-local.invalid';

/** ≤ 25 s keeps a NAT's UDP mapping open (typical timeouts 30–180 s; RFC 5626 says 15–25 s for UDP). */
export const KEEPALIVE_MS = 20_000;
/** A stream whose server once answered a ping and then stays silent this long is dead. */
const PONG_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** Largest UDP payload over IPv4. */
const MAX_DATAGRAM = 65_507;

export interface SipSocketOptions {
  server: SipServer;
  /** The server as the user typed it: JsSIP's socket `url`, and what logs name. */
  text: string;
  log: Logger;
  resolver?: DnsResolver;
  tlsCaFile?: string | undefined;
  keepAliveMs?: number;
  /** How long a stream whose server answers pings may stay silent after one (default 10 s). */
  pongTimeoutMs?: number;
  connectTimeoutMs?: number;
}

interface HostPort {
  address: string;
  port: number;
}

const hostPort = (a: HostPort) => `${isIPv6(a.address) ? `[${a.address}]` : a.address}:${a.port}`;

/**
 * JsSIP's Socket interface (as ws-socket.ts) over UDP, TCP or TLS, chosen by RFC 3263 for the
 * account's SIP server; on a failure the next target is tried, and after the last one the
 * name is resolved again.
 */
export class SipSocket {
  readonly url: string;
  readonly sip_uri: string;
  onconnect: () => void = () => undefined;
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => undefined;
  ondata: (data: string) => void = () => undefined;
  onerror: (err: unknown, head: string) => void = () => undefined;
  /** Our address as the far end sees it changed (NAT): the owner re-REGISTERs with the new Contact. */
  onpublicaddress: (address: string) => void = () => undefined;
  /** Why the last attempt failed ("TLS Certificate Error: …"), for the registration line. */
  lastFailure: TransportFailure | undefined;

  private readonly log: Logger;
  private state: 'closed' | 'connecting' | 'connected' = 'closed';
  private generation = 0;
  private targets: SipTarget[] | undefined;
  private index = 0;
  private target: SipTarget | undefined;
  private udp: DgramSocket | undefined;
  private stream: NetSocket | undefined;
  private reliability: UdpReliability | undefined;
  private local: HostPort | undefined;
  private publicAddress: HostPort | undefined;
  private keepAlive: NodeJS.Timeout | undefined;
  private pongDeadline: NodeJS.Timeout | undefined;
  private answersPings = false;
  private pingOutstanding = false;

  constructor(private readonly options: SipSocketOptions) {
    this.url = options.text;
    const s = options.server;
    const host = s.hostKind === 'ipv6' ? `[${s.host}]` : s.host;
    this.sip_uri = `sip:${host}${s.port ? `:${s.port}` : ''}${s.transport ? `;transport=${s.transport}` : ''}`;
    this.log = options.log.child({ module: 'sip-transport', server: options.text });
  }

  /** Read by JsSIP for every Via it writes: follows the target RFC 3263 chose. */
  get via_transport(): string {
    return (this.target?.transport ?? this.options.server.transport ?? (this.options.server.secure ? 'tls' : 'udp')).toUpperCase();
  }

  /** The local and the public (NAT) address, for logs and tests. */
  addresses(): { local?: string; public?: string; target?: string } {
    return {
      ...(this.local ? { local: hostPort(this.local) } : {}),
      ...(this.publicAddress ? { public: hostPort(this.publicAddress) } : {}),
      ...(this.target ? { target: `${this.target.transport}:${hostPort(this.target)}` } : {}),
    };
  }

  connect(): void {
    this.close();
    const gen = ++this.generation;
    this.state = 'connecting';
    void this.open(gen);
  }

  disconnect(): void {
    this.generation++;
    this.close();
  }

  isConnected(): boolean {
    return this.state === 'connected';
  }

  isConnecting(): boolean {
    return this.state === 'connecting';
  }

  send(message: string): boolean {
    if (this.state !== 'connected') return false;
    const text = this.rewrite(message);
    const bytes = Buffer.from(text, 'utf8');
    if (this.udp) {
      if (bytes.length > MAX_DATAGRAM) {
        this.log.warn({ bytes: bytes.length, head: describeHead(bytes) }, 'message too big for one UDP datagram; not sent');
        return false;
      }
      this.udp.send(bytes, (err) => err && this.linkFailed(`Connection Error: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      this.reliability?.sent(text);
      return true;
    }
    this.stream?.write(bytes);
    return true;
  }

  private async open(gen: number): Promise<void> {
    if (!this.targets) {
      try {
        this.targets = await resolveSipServer(this.options.server, this.options.resolver ?? systemResolver);
        this.index = 0;
        this.log.info({ targets: this.targets.map((t) => `${t.transport}:${hostPort(t)}`) }, 'SIP server resolved');
      } catch (err) {
        if (gen !== this.generation) return;
        const cause = err instanceof DnsResolutionError ? `${CAUSE_DNS}: ${err.message}` : `${CAUSE_DNS}: ${(err as Error).message}`;
        this.fail(new TransportFailure(cause, false));
        return;
      }
    }
    const targets = this.targets;
    let failure: TransportFailure | undefined;
    for (let tried = 0; tried < targets.length; tried++) {
      const target = targets[(this.index + tried) % targets.length]!;
      try {
        if (target.transport === 'udp') await this.openUdp(target, gen);
        else await this.openStream(target, gen);
        if (gen !== this.generation) return;
        this.index = (this.index + tried) % targets.length;
        this.target = target;
        this.state = 'connected';
        this.lastFailure = undefined;
        this.startKeepAlive();
        this.log.info(this.addresses(), 'SIP transport connected');
        this.onconnect();
        return;
      } catch (err) {
        if (gen !== this.generation) return;
        failure = err instanceof TransportFailure ? err : new TransportFailure(`Connection Error: ${(err as Error).message}`, false);
        this.log.warn({ target: `${target.transport}:${hostPort(target)}`, cause: failure.reason }, 'SIP server target failed');
        this.close();
        // A certificate the user must fix fails the same on every address: stop here.
        if (failure.permanent) break;
      }
    }
    // All tried: resolve again next time (the PBX may have moved, DNS may have recovered).
    this.targets = undefined;
    this.fail(failure ?? new TransportFailure('Connection Error', false));
  }

  private openUdp(target: SipTarget, gen: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: isIPv6(target.address) ? 'udp6' : 'udp4' });
      this.udp = socket;
      socket.once('error', reject);
      socket.connect(target.port, target.address, () => {
        socket.removeListener('error', reject);
        if (gen !== this.generation) return;
        const a = socket.address();
        this.local = { address: a.address, port: a.port };
        this.reliability = new UdpReliability(
          (text) => socket.send(Buffer.from(text, 'utf8')),
          (text) => this.log.info({ head: describeHead(Buffer.from(text.slice(0, 120))) }, 'SIP retransmission'),
          // No answer at all from this target: JsSIP reconnects, and the next connect() takes the next target.
          () => this.linkFailed(`Connection Error: no answer from ${hostPort(target)}`),
        );
        socket.on('message', (datagram) => this.onDatagram(datagram));
        // On a connected socket the kernel reports an ICMP "port unreachable" here: the PBX is down.
        socket.on('error', (err) => this.linkFailed(`Connection Error: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
        resolve();
      });
    });
  }

  private async openStream(target: SipTarget, gen: number): Promise<void> {
    const socket = await connectStream(target, { timeoutMs: this.options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS, tlsCaFile: this.options.tlsCaFile });
    if (gen !== this.generation) {
      socket.destroy();
      return;
    }
    this.stream = socket;
    this.local = { address: socket.localAddress ?? '0.0.0.0', port: socket.localPort ?? 0 };
    socket.setNoDelay(true);
    const framer = new SipStreamFramer();
    socket.on('data', (chunk: Buffer) => {
      this.alive();
      for (const event of framer.push(chunk)) {
        if (event.kind === 'message') this.inbound(event.text);
        else if (event.kind === 'ping') socket.write('\r\n');
        else if (event.kind === 'pong') continue;
        else {
          this.log.warn({ reason: event.reason, detail: event.detail }, 'SIP stream unreadable; resetting the connection');
          this.linkFailed(`Connection Error: ${event.reason}`);
          return;
        }
      }
    });
    socket.on('error', (err) => this.log.info({ code: (err as NodeJS.ErrnoException).code }, 'SIP stream error'));
    socket.on('close', () => {
      if (this.stream === socket) this.linkFailed('Connection Error: closed by the server');
    });
  }

  private onDatagram(datagram: Buffer): void {
    this.alive();
    const d = readDatagram(datagram, MAX_SIP_MESSAGE_BYTES);
    if (d.kind === 'message') this.inbound(d.text);
    else if (d.kind === 'drop') this.log.warn({ bytes: datagram.length, detail: d.detail }, 'UDP datagram dropped');
  }

  private inbound(text: string): void {
    if (this.reliability && !this.reliability.received(text)) return;
    if (this.udp) this.learnPublicAddress(text);
    try {
      this.ondata(text);
    } catch (err) {
      // A message JsSIP cannot handle is dropped, never thrown out of the socket (ws-socket.ts).
      this.onerror(err, (text.split('\r\n', 1)[0] ?? '').slice(0, 200));
    }
  }

  /** RFC 3581: the received/rport of a response to us is where the far end can reach us. */
  private learnPublicAddress(text: string): void {
    const m = peekSip(text);
    if (m?.status === undefined || !this.local || (m.received === undefined && m.rport === undefined)) return;
    const seen = { address: m.received ?? this.local.address, port: m.rport ?? this.local.port };
    const current = this.publicAddress ?? this.local;
    if (seen.address === current.address && seen.port === current.port) return;
    this.publicAddress = seen.address === this.local.address && seen.port === this.local.port ? undefined : seen;
    this.log.info({ local: hostPort(this.local), public: hostPort(seen) }, 'our address as the PBX sees it changed (NAT)');
    this.onpublicaddress(hostPort(seen));
  }

  /** JsSIP wrote LOCAL_PLACEHOLDER for our host in Via and Contact: put the real one there. */
  private rewrite(message: string): string {
    if (!this.local || !this.target) return message;
    const headEnd = message.indexOf('\r\n\r\n');
    const head = headEnd < 0 ? message : message.slice(0, headEnd);
    const contactAddr = hostPort(this.publicAddress ?? this.local);
    const transport = this.target.transport;
    const fixed = head
      .replace(new RegExp(`^(Via: SIP/2\\.0/[A-Z]+ )${LOCAL_PLACEHOLDER.replace(/\./g, '\\.')}`, 'mi'), `$1${hostPort(this.local)};rport`)
      .replace(new RegExp(`@${LOCAL_PLACEHOLDER.replace(/\./g, '\\.')}(?:;transport=[a-z]+)?`, 'gi'), `@${contactAddr};transport=${transport}`);
    return headEnd < 0 ? fixed : fixed + message.slice(headEnd);
  }

  private startKeepAlive(): void {
    const every = this.options.keepAliveMs ?? KEEPALIVE_MS;
    this.keepAlive = setInterval(() => {
      if (this.state !== 'connected') return;
      // RFC 5626 double CRLF: on UDP it keeps the NAT mapping open; on a stream the pong proves the server is alive.
      if (this.udp) this.udp.send(Buffer.from('\r\n\r\n'), (err) => err && this.linkFailed(`Connection Error: ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      else if (this.stream) {
        this.stream.write('\r\n\r\n');
        this.pingOutstanding = true;
        if (this.answersPings && !this.pongDeadline) {
          this.pongDeadline = setTimeout(() => this.linkFailed('Connection Error: no answer to keep-alive'), this.options.pongTimeoutMs ?? PONG_TIMEOUT_MS);
        }
      }
    }, every);
  }

  private alive(): void {
    // Bytes after our ping are its pong (a lone CRLF may sit in the framer, which waits to tell it from half a ping).
    if (this.pingOutstanding) this.answersPings = true;
    this.pingOutstanding = false;
    if (this.pongDeadline) clearTimeout(this.pongDeadline);
    this.pongDeadline = undefined;
  }

  private linkFailed(cause: string): void {
    if (this.state === 'closed') return;
    this.log.warn({ cause, ...this.addresses() }, 'SIP transport lost');
    // The next connect() starts with the next target (RFC 3263 failover).
    this.index += 1;
    this.generation++;
    this.fail(new TransportFailure(cause, false));
  }

  private fail(failure: TransportFailure): void {
    this.lastFailure = failure;
    this.close();
    this.ondisconnect(true, undefined, failure.reason);
  }

  private close(): void {
    this.state = 'closed';
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = undefined;
    this.alive();
    this.reliability?.reset();
    this.reliability = undefined;
    const udp = this.udp;
    this.udp = undefined;
    if (udp) {
      udp.removeAllListeners();
      udp.on('error', () => undefined);
      try {
        udp.close();
      } catch {
        // Already closed.
      }
    }
    const stream = this.stream;
    this.stream = undefined;
    if (stream) {
      stream.removeAllListeners();
      stream.on('error', () => undefined);
      stream.destroy();
    }
  }
}
