import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { peekSip } from './sip-peek';
import { T1, T2, TRANSACTION_MS, UdpReliability } from './udp-reliability';

const request = (method: string, branch: string, cseqMethod = method) =>
  `${method} sip:2001@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:40000;rport;branch=${branch}\r\nCSeq: 1 ${cseqMethod}\r\nContent-Length: 0\r\n\r\n`;
const response = (status: number, branch: string, method: string, via = 'SIP/2.0/UDP 127.0.0.1:40000;rport=40000;branch=') =>
  `SIP/2.0 ${status} X\r\nVia: ${via}${branch}\r\nCSeq: 1 ${method}\r\nContent-Length: 0\r\n\r\n`;

describe('UdpReliability (RFC 3261 timers JsSIP leaves to the transport)', () => {
  let wire: string[];
  let r: UdpReliability;
  beforeEach(() => {
    vi.useFakeTimers();
    wire = [];
    r = new UdpReliability((t) => wire.push(t));
  });
  afterEach(() => {
    r.reset();
    vi.useRealTimers();
  });
  /** Times (ms after sending) at which a retransmission went out. */
  function retransmissionTimes(until: number): number[] {
    const times: number[] = [];
    for (let t = 0; t <= until; t += 50) {
      const before = wire.length;
      vi.advanceTimersByTime(50);
      for (let i = before; i < wire.length; i++) times.push(t + 50);
    }
    return times;
  }

  it('Timer A: an INVITE is retransmitted at T1, 2T1, 4T1… until any response', () => {
    r.sent(request('INVITE', 'z9hG4bKa'));
    expect(retransmissionTimes(4000)).toEqual([T1, 3 * T1, 7 * T1]);
    expect(r.received(response(100, 'z9hG4bKa', 'INVITE'))).toBe(true);
    expect(retransmissionTimes(20_000)).toEqual([]);
  });

  it('Timer E: a REGISTER doubles up to T2, continues at T2 after a provisional, stops on the final, and gives up at 64·T1', () => {
    r.sent(request('REGISTER', 'z9hG4bKb'));
    expect(retransmissionTimes(9000)).toEqual([500, 1500, 3500, 7500]);
    r.received(response(100, 'z9hG4bKb', 'REGISTER'));
    const times = retransmissionTimes(8000);
    expect(times[1]! - times[0]!).toBe(T2);
    r.received(response(200, 'z9hG4bKb', 'REGISTER'));
    expect(retransmissionTimes(10_000)).toEqual([]);

    r.sent(request('OPTIONS', 'z9hG4bKc'));
    vi.advanceTimersByTime(TRANSACTION_MS);
    expect(r.active).toBe(0);
  });

  it('a response for another method on the same branch does not stop it (CANCEL shares the INVITE branch)', () => {
    r.sent(request('CANCEL', 'z9hG4bKd'));
    r.received(response(487, 'z9hG4bKd', 'INVITE'));
    expect(r.active).toBe(1);
    r.received(response(200, 'z9hG4bKd', 'CANCEL'));
    expect(r.active).toBe(0);
  });

  it('Timer D: a retransmitted non-2xx final to our INVITE gets the ACK again, not JsSIP', () => {
    r.sent(request('INVITE', 'z9hG4bKe'));
    expect(r.received(response(486, 'z9hG4bKe', 'INVITE'))).toBe(true);
    r.sent(request('ACK', 'z9hG4bKe'));
    wire = [];
    expect(r.received(response(486, 'z9hG4bKe', 'INVITE'))).toBe(false);
    expect(wire.map((t) => peekSip(t)?.method)).toEqual(['ACK']);
  });

  it('Timer G: our non-2xx final to an INVITE is retransmitted until the ACK; a retransmitted INVITE is answered with it', () => {
    r.sent(response(486, 'z9hG4bKf', 'INVITE'));
    expect(retransmissionTimes(3600)).toEqual([500, 1500, 3500]);
    expect(r.received(request('INVITE', 'z9hG4bKf'))).toBe(false);
    expect(peekSip(wire[wire.length - 1]!)?.status).toBe(486);
    expect(r.received(request('ACK', 'z9hG4bKf'))).toBe(true);
    expect(retransmissionTimes(10_000)).toEqual([]);
  });

  it('Timer J: a retransmitted BYE is answered with the kept 200 and never reaches JsSIP twice', () => {
    expect(r.received(request('BYE', 'z9hG4bKg'))).toBe(true);
    r.sent(response(200, 'z9hG4bKg', 'BYE'));
    wire = [];
    expect(r.received(request('BYE', 'z9hG4bKg'))).toBe(false);
    expect(wire.map((t) => peekSip(t)?.status)).toEqual([200]);
    vi.advanceTimersByTime(TRANSACTION_MS + 1);
    expect(r.received(request('BYE', 'z9hG4bKg'))).toBe(true);
  });

  it('2xx to an INVITE is left to JsSIP (RTCSession retransmits it until the ACK)', () => {
    r.sent(response(200, 'z9hG4bKh', 'INVITE'));
    expect(retransmissionTimes(5000)).toEqual([]);
    expect(r.received(request('INVITE', 'z9hG4bKh'))).toBe(true);
  });

  it('reads received/rport and ignores what is not SIP', () => {
    expect(peekSip(response(200, 'z9hG4bKi', 'REGISTER', 'SIP/2.0/UDP 10.0.0.2:40000;received=192.0.2.7;rport=61000;branch='))).toMatchObject({ received: '192.0.2.7', rport: 61000 });
    expect(r.received('garbage')).toBe(true);
    expect(peekSip('SIP/2.0 200 OK\r\nCSeq: 1 X\r\n\r\n')).toBeUndefined();
  });

  it('a request with no response at all in 64·T1 reports the server silent; any response in between proves it alive', () => {
    const silent: string[] = [];
    const r2 = new UdpReliability(() => undefined, () => undefined, (t) => silent.push(peekSip(t)!.method!));
    r2.sent(request('REGISTER', 'z9hG4bKs1'));
    vi.advanceTimersByTime(TRANSACTION_MS);
    expect(silent).toEqual(['REGISTER']);
    r2.sent(request('OPTIONS', 'z9hG4bKs2'));
    r2.received(response(100, 'z9hG4bKs2', 'OPTIONS'));
    vi.advanceTimersByTime(TRANSACTION_MS);
    expect(silent).toEqual(['REGISTER']);
    r2.reset();
  });
});
