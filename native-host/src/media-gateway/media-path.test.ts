import { describe, expect, it } from 'vitest';
import { loopbackOnly } from './browser-leg';
import { sipServerHost } from './media-path';

describe('sipServerHost', () => {
  it("the host of a plain SIP server, nothing for a WebSocket one", () => {
    expect(sipServerHost({ wsUrls: ['sip:10.0.0.5:5060;transport=udp'] })).toBe('10.0.0.5');
    expect(sipServerHost({ wsUrls: ['sips:pbx.example.com'] })).toBe('pbx.example.com');
    expect(sipServerHost({ wsUrls: ['pbx.example.com:5062'] })).toBe('pbx.example.com');
    expect(sipServerHost({ wsUrls: ['wss://x'] })).toBeUndefined();
    expect(sipServerHost(undefined)).toBeUndefined();
  });

  it('the browser is only ever given 127.0.0.1 candidates', () => {
    const sdp = ['a=candidate:1 1 udp 1 10.0.0.9 5000 typ host', 'a=candidate:2 1 udp 1 127.0.0.1 5002 typ host', 'a=mid:0'].join('\r\n');
    expect(loopbackOnly(sdp)).toBe(['a=candidate:2 1 udp 1 127.0.0.1 5002 typ host', 'a=mid:0'].join('\r\n'));
  });
});
