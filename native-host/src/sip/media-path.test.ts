import { describe, expect, it } from 'vitest';
import { mediaPathFor } from './media-path';

describe('mediaPathFor', () => {
  it('WebSocket PBXs keep media in the browser; plain SIP servers go through the gateway', () => {
    expect(mediaPathFor({ wsUrls: ['wss://pbx.example/ws'] })).toBe('browser');
    expect(mediaPathFor({ wsUrls: ['sip:pbx.example;transport=udp'] })).toBe('gateway');
    expect(mediaPathFor({ wsUrls: ['sips:pbx.example'] })).toBe('gateway');
    expect(mediaPathFor({ wsUrls: ['pbx.example'] })).toBe('gateway');
  });
});
