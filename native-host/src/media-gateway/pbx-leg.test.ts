import dgram from 'node:dgram';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PbxLeg } from './pbx-leg';
import { bindPair, NoFreePortError } from './port-range';
import { writeRtp } from './rtp-packet';
import { newSdesKey, SdesCipher } from './sdes';

const log = pino({ level: 'silent' });
const open: { close(): void }[] = [];
afterEach(() => {
  for (const o of open.splice(0)) o.close();
});

async function udp(): Promise<dgram.Socket & { received: Buffer[]; next(): Promise<Buffer> }> {
  const s = dgram.createSocket('udp4') as dgram.Socket & { received: Buffer[]; next(): Promise<Buffer> };
  s.received = [];
  const waiting: ((b: Buffer) => void)[] = [];
  s.on('message', (m) => {
    s.received.push(m);
    waiting.shift()?.(m);
  });
  s.next = () => new Promise((r) => waiting.push(r));
  await new Promise<void>((r) => s.bind(0, '127.0.0.1', r));
  open.push(s);
  return s;
}

const rtp = (seq: number) => writeRtp({ pt: 0, marker: false, seq, timestamp: seq * 160, ssrc: 9 }, Buffer.alloc(160, 0xff));

describe('port range', () => {
  it('binds an even RTP port and the odd one above it, skipping taken ports, and says when none is left', async () => {
    const first = await bindPair({ min: 31000, max: 31003 }, '127.0.0.1');
    open.push(first.rtp, first.rtcp);
    expect(first.port % 2).toBe(0);
    expect(first.rtcp.address().port).toBe(first.port + 1);
    const second = await bindPair({ min: 31000, max: 31003 }, '127.0.0.1');
    open.push(second.rtp, second.rtcp);
    expect(second.port).not.toBe(first.port);
    await expect(bindPair({ min: 31000, max: 31003 }, '127.0.0.1')).rejects.toThrow(NoFreePortError);
  });
});

describe('PbxLeg', () => {
  it('latches to the real source, sends there, drops strangers, oversize and non-RTP datagrams', async () => {
    const got: number[] = [];
    const pbx = await udp();
    const leg = await PbxLeg.open({ min: 31010, max: 31019 }, '127.0.0.1', { address: '127.0.0.1', port: 9, rtcpPort: 10 }, log, (v) => got.push(v.seq));
    open.push(leg);
    pbx.send(rtp(1), leg.port, '127.0.0.1');
    const stranger = await udp();
    await new Promise<void>((r) => {
      const check = setInterval(() => {
        if (got.length === 1) {
          clearInterval(check);
          r();
        }
      }, 5);
    });
    expect(leg.target).toEqual({ address: '127.0.0.1', port: pbx.address().port });
    stranger.send(rtp(2), leg.port, '127.0.0.1');
    pbx.send(Buffer.alloc(2000, 0x80), leg.port, '127.0.0.1');
    pbx.send(Buffer.from('OPTIONS sip:x SIP/2.0\r\n\r\n'), leg.port, '127.0.0.1');
    pbx.send(rtp(3), leg.port, '127.0.0.1');
    const reply = pbx.next();
    leg.send(rtp(4));
    expect((await reply).readUInt16BE(2)).toBe(4);
    expect(got).toEqual([1, 3]);
    expect(leg.stats).toMatchObject({ rtpIn: 2, rtpOut: 1, dropped: 3 });
  });

  it('with SDES keys: decrypts what the PBX sends, encrypts what goes to it, refuses clear RTP', async () => {
    const ours = newSdesKey(1);
    const theirs = newSdesKey(1);
    const pbxSide = new SdesCipher(theirs, ours);
    const got: Buffer[] = [];
    const pbx = await udp();
    const leg = await PbxLeg.open({ min: 31020, max: 31029 }, '127.0.0.1', { address: '127.0.0.1', port: pbx.address().port, rtcpPort: 10 }, log, (_v, d) => got.push(d));
    open.push(leg);
    leg.setCipher(new SdesCipher(ours, theirs));
    const reply = pbx.next();
    leg.send(rtp(7));
    const onWire = await reply;
    expect(onWire).toHaveLength(172 + 10);
    expect(pbxSide.unprotect(onWire)!.readUInt16BE(2)).toBe(7);
    pbx.send(rtp(8), leg.port, '127.0.0.1');
    pbx.send(pbxSide.protect(rtp(9)), leg.port, '127.0.0.1');
    await new Promise<void>((r) => {
      const check = setInterval(() => {
        if (got.length + leg.stats.dropped >= 2) {
          clearInterval(check);
          r();
        }
      }, 5);
    });
    expect(got.map((d) => d.readUInt16BE(2))).toEqual([9]);
    expect(leg.stats.dropped).toBe(1);
  });
});

describe('PbxLeg RTCP', () => {
  it('reports go beside the latched RTP (port + 1); RTCP from the PBX is counted and then answered where it came from', async () => {
    const rtpSock = dgram.createSocket('udp4');
    const rtcpSock = dgram.createSocket('udp4');
    await new Promise<void>((r) => rtpSock.bind(31100, '127.0.0.1', r));
    await new Promise<void>((r) => rtcpSock.bind(31101, '127.0.0.1', r));
    open.push(rtpSock, rtcpSock);
    const leg = await PbxLeg.open({ min: 31030, max: 31039 }, '127.0.0.1', { address: '127.0.0.1', port: 9, rtcpPort: 10 }, log, () => undefined);
    open.push(leg);
    rtpSock.send(rtp(1), leg.port, '127.0.0.1');
    await new Promise<void>((r) => {
      const check = setInterval(() => leg.stats.rtpIn === 1 && (clearInterval(check), r()), 5);
    });
    const report = Buffer.from([0x80, 201, 0, 1, 0, 0, 0, 5]);
    const first = new Promise<Buffer>((r) => rtcpSock.once('message', r));
    leg.reportEvery(10, () => report);
    expect((await first).equals(report)).toBe(true);

    const other = await udp();
    const back = other.next();
    other.send(Buffer.from([0x80, 200, 0, 6, ...Buffer.alloc(24)]), leg.port + 1, '127.0.0.1');
    await back;
    expect(leg.stats.rtcpIn).toBe(1);
    // A non-RTCP datagram on the RTCP port is dropped.
    other.send(Buffer.from('hello'), leg.port + 1, '127.0.0.1');
    await new Promise<void>((r) => {
      const check = setInterval(() => leg.stats.dropped === 1 && (clearInterval(check), r()), 5);
    });
  });
});

describe('PbxLeg.retarget', () => {
  it('a new SDP with the same address keeps the latch (NAT); a moved one unlatches and sends there', async () => {
    const pbx = await udp();
    const leg = await PbxLeg.open({ min: 31040, max: 31049 }, '127.0.0.1', { address: '127.0.0.1', port: 9, rtcpPort: 10 }, log, () => undefined);
    open.push(leg);
    pbx.send(rtp(1), leg.port, '127.0.0.1');
    await new Promise<void>((r) => {
      const check = setInterval(() => leg.stats.rtpIn === 1 && (clearInterval(check), r()), 5);
    });
    leg.retarget({ address: '127.0.0.1', port: 9, rtcpPort: 10 });
    expect(leg.target.port).toBe(pbx.address().port);
    leg.retarget({ address: '127.0.0.1', port: 11, rtcpPort: 12 });
    expect(leg.target).toEqual({ address: '127.0.0.1', port: 11 });
  });
});
