import dgram from 'node:dgram';
import { alawToLinear, linearToAlaw, linearToUlaw, ulawToLinear } from './g711';

export interface Received {
  pt: number;
  seq: number;
  timestamp: number;
  ssrc: number;
  marker: boolean;
  payload: Buffer;
  from: string;
}

/**
 * A plain-RTP far end, as a classic PBX or desk phone is: one UDP socket on 127.0.0.1 that sends
 * a G.711 tone (20 ms packets) to where it is told and records every RTP packet it receives.
 */
export class PlainRtpEndpoint {
  readonly received: Received[] = [];
  private timer: NodeJS.Timeout | undefined;
  private seq = Math.floor(Math.random() * 60000);
  private ts = Math.floor(Math.random() * 1e9);
  private phase = 0;
  readonly ssrc = Math.floor(Math.random() * 2 ** 32) >>> 0;
  sent = 0;
  private waiters: (() => void)[] = [];

  private constructor(readonly socket: dgram.Socket) {
    socket.on('message', (msg, rinfo) => {
      if (msg.length < 12 || msg[0]! >> 6 !== 2 || (msg[1]! >= 192 && msg[1]! <= 223)) return;
      this.received.push({ pt: msg[1]! & 0x7f, marker: (msg[1]! & 0x80) !== 0, seq: msg.readUInt16BE(2), timestamp: msg.readUInt32BE(4), ssrc: msg.readUInt32BE(8), payload: msg.subarray(12), from: `${rinfo.address}:${rinfo.port}` });
      for (const w of this.waiters.splice(0)) w();
    });
  }

  static async open(): Promise<PlainRtpEndpoint> {
    const s = dgram.createSocket('udp4');
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
    return new PlainRtpEndpoint(s);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /** Sends a tone every 20 ms (PCMU pt 0 or PCMA pt 8) to `to`, until stop(). */
  startTone(to: { address: string; port: number }, codec: 'PCMU' | 'PCMA', pt: number, hz = 1000, encrypt?: (rtp: Buffer) => Buffer): void {
    this.stop();
    const encode = codec === 'PCMU' ? linearToUlaw : linearToAlaw;
    this.timer = setInterval(() => {
      const payload = Buffer.alloc(160);
      for (let i = 0; i < 160; i++) payload[i] = encode(Math.sin(this.phase++ * ((2 * Math.PI * hz) / 8000)) * 12000);
      this.sendRtp(to, pt, payload, false, encrypt);
      this.ts = (this.ts + 160) >>> 0;
    }, 20);
  }

  sendRtp(to: { address: string; port: number }, pt: number, payload: Buffer, marker = false, encrypt?: (rtp: Buffer) => Buffer): void {
    const h = Buffer.alloc(12);
    h[0] = 0x80;
    h[1] = (marker ? 0x80 : 0) | pt;
    h.writeUInt16BE(this.seq++ & 0xffff, 2);
    h.writeUInt32BE(this.ts >>> 0, 4);
    h.writeUInt32BE(this.ssrc, 8);
    const rtp = Buffer.concat([h, payload]);
    this.socket.send(encrypt ? encrypt(rtp) : rtp, to.port, to.address);
    this.sent += 1;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Resolves once `pred` holds over what was received (checked on every packet). */
  until(pred: (r: Received[]) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const deadline = setTimeout(() => reject(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const check = () => {
        if (pred(this.received)) {
          clearTimeout(deadline);
          resolve();
        } else this.waiters.push(check);
      };
      check();
    });
  }

  /** Decoded samples of the received packets with payload type `pt`, after index `from`. */
  samples(pt: number, codec: 'PCMU' | 'PCMA', from = 0): number[] {
    const decode = codec === 'PCMU' ? ulawToLinear : alawToLinear;
    return this.received.slice(from).filter((r) => r.pt === pt).flatMap((r) => [...r.payload].map(decode));
  }

  close(): void {
    this.stop();
    this.socket.close();
  }
}
