import { describe, expect, it } from 'vitest';
import { loopbackOnly } from './browser-leg';
import { mediaPathFor, sipServerHost } from './media-path';

describe('mediaPathFor / sipServerHost', () => {
  it('a sip:/sips: server goes through the gateway, a WebSocket one straight from the browser', () => {
    expect(mediaPathFor({ wsUrls: ['wss://pbx.example/ws'] })).toBe('browser');
    expect(mediaPathFor({ wsUrls: ['sip:pbx.example;transport=udp'] })).toBe('gateway');
    expect(mediaPathFor({ wsUrls: ['SIPS:pbx.example'] })).toBe('gateway');
    expect(mediaPathFor(undefined)).toBe('browser');
    expect(sipServerHost({ wsUrls: ['sip:10.0.0.5:5060;transport=udp'] })).toBe('10.0.0.5');
    expect(sipServerHost({ wsUrls: ['sips:pbx.example.com'] })).toBe('pbx.example.com');
    expect(sipServerHost({ wsUrls: ['wss://x'] })).toBeUndefined();
  });

  it('the browser is only ever given 127.0.0.1 candidates', () => {
    const sdp = ['a=candidate:1 1 udp 1 10.0.0.9 5000 typ host', 'a=candidate:2 1 udp 1 127.0.0.1 5002 typ host', 'a=mid:0'].join('\r\n');
    expect(loopbackOnly(sdp)).toBe(['a=candidate:2 1 udp 1 127.0.0.1 5002 typ host', 'a=mid:0'].join('\r\n'));
  });
});
