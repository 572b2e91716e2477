import { describe, expect, it } from 'vitest';
import { candidatesOn, legAddress } from './browser-leg';
import { hasLegCandidate } from './leg-address';
import { sipServerHost } from './media-path';

describe('sipServerHost', () => {
  it("the host of a plain SIP server, nothing for a WebSocket one", () => {
    expect(sipServerHost({ wsUrls: ['sip:10.0.0.5:5060;transport=udp'] })).toBe('10.0.0.5');
    expect(sipServerHost({ wsUrls: ['sips:pbx.example.com'] })).toBe('pbx.example.com');
    expect(sipServerHost({ wsUrls: ['pbx.example.com:5062'] })).toBe('pbx.example.com');
    expect(sipServerHost({ wsUrls: ['wss://x'] })).toBeUndefined();
    expect(sipServerHost(undefined)).toBeUndefined();
  });

  it('the browser is only ever given candidates on the one local address of the leg', () => {
    const sdp = ['a=candidate:1 1 udp 1 10.0.0.9 5000 typ host', 'a=candidate:2 1 udp 1 127.0.0.1 5002 typ host', 'a=mid:0'].join('\r\n');
    expect(candidatesOn(sdp, '127.0.0.1')).toBe(['a=candidate:2 1 udp 1 127.0.0.1 5002 typ host', 'a=mid:0'].join('\r\n'));
  });

  it('the leg address: loopback when the browser offers it (Chromium), else one of our own addresses (Firefox), never a foreign one', () => {
    const own = new Set(['127.0.0.1', '192.0.2.10']);
    const chromium = 'a=candidate:1 1 udp 2122260223 127.0.0.1 51302 typ host generation 0\r\na=candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active';
    const firefox = 'a=candidate:0 1 UDP 2122252543 192.0.2.10 40000 typ host\r\na=candidate:1 1 TCP 2105524479 192.0.2.10 9 typ host tcptype active';
    const foreign = 'a=candidate:0 1 UDP 2122252543 203.0.113.7 40000 typ host\r\na=candidate:1 1 UDP 1686052863 198.51.100.1 40000 typ srflx raddr 0.0.0.0 rport 0';
    expect(legAddress(chromium, own)).toBe('127.0.0.1');
    expect(legAddress(firefox, own)).toBe('192.0.2.10');
    expect(legAddress(foreign, own)).toBe('127.0.0.1');
    expect(legAddress('', own)).toBe('127.0.0.1');
  });

  it('the offer is answered once it has a UDP host candidate on this machine, not before, and never for TCP or a foreign one', () => {
    const own = new Set(['127.0.0.1', '192.0.2.10']);
    expect(hasLegCandidate('a=candidate:1 1 udp 2122260223 127.0.0.1 51302 typ host generation 0', own)).toBe(true);
    expect(hasLegCandidate('a=candidate:0 1 UDP 2122252543 192.0.2.10 40000 typ host', own)).toBe(true);
    expect(hasLegCandidate('a=candidate:2 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active', own)).toBe(false);
    expect(hasLegCandidate('a=candidate:0 1 UDP 2122252543 203.0.113.7 40000 typ host', own)).toBe(false);
    expect(hasLegCandidate('v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111', own)).toBe(false);
  });
});
