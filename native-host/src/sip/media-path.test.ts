import { describe, expect, it } from 'vitest';
import { isTlsAccount, mediaPathFor } from './media-path';

describe('mediaPathFor', () => {
  it('WebSocket PBXs keep media in the browser; plain SIP servers go through the gateway', () => {
    expect(mediaPathFor({ wsUrls: ['wss://pbx.example/ws'] })).toBe('browser');
    expect(mediaPathFor({ wsUrls: ['sip:pbx.example;transport=udp'] })).toBe('gateway');
    expect(mediaPathFor({ wsUrls: ['sips:pbx.example'] })).toBe('gateway');
    expect(mediaPathFor({ wsUrls: ['pbx.example'] })).toBe('gateway');
  });
});

describe('isTlsAccount', () => {
  it('sips: and ;transport=tls are TLS; UDP, TCP, a bare name (RFC 3263 decides), WebSocket and no account are not', () => {
    expect(isTlsAccount({ wsUrls: ['sips:pbx.example'] })).toBe(true);
    expect(isTlsAccount({ wsUrls: ['sip:10.0.0.5:5061;transport=tls'] })).toBe(true);
    expect(isTlsAccount({ wsUrls: ['sip:10.0.0.5;transport=tcp', 'sips:backup.example'] })).toBe(false);
    expect(isTlsAccount({ wsUrls: ['sip:pbx.example;transport=udp'] })).toBe(false);
    expect(isTlsAccount({ wsUrls: ['pbx.example'] })).toBe(false);
    expect(isTlsAccount({ wsUrls: ['wss://pbx.example/ws'] })).toBe(false);
    expect(isTlsAccount(undefined)).toBe(false);
  });
});
