import { describe, expect, it } from 'vitest';
import { isSipServer, parseServer, serverHost } from './server-address';

describe('parseServer', () => {
  it('keeps WebSocket URLs as they are', () => {
    expect(parseServer('wss://pbx.example:8089/ws')).toEqual({ ok: true, server: { kind: 'ws', url: 'wss://pbx.example:8089/ws' } });
    expect(parseServer('ws://127.0.0.1:8080')).toMatchObject({ ok: true, server: { kind: 'ws' } });
  });

  it('reads SIP URIs, sips: and bare host names', () => {
    expect(parseServer('sip:pbx.example.com')).toEqual({ ok: true, server: { kind: 'sip', host: 'pbx.example.com', hostKind: 'name', secure: false } });
    expect(parseServer('sip:10.0.0.5:5060;transport=udp')).toEqual({
      ok: true,
      server: { kind: 'sip', host: '10.0.0.5', hostKind: 'ipv4', port: 5060, transport: 'udp', secure: false },
    });
    expect(parseServer('SIP:PBX.Example.com;Transport=TCP')).toMatchObject({ ok: true, server: { host: 'pbx.example.com', transport: 'tcp' } });
    expect(parseServer('sips:pbx.example.com')).toMatchObject({ ok: true, server: { transport: 'tls', secure: true } });
    expect(parseServer('sips:pbx.example.com;transport=tcp')).toMatchObject({ ok: true, server: { transport: 'tls', secure: true } });
    expect(parseServer('pbx.example.com')).toMatchObject({ ok: true, server: { kind: 'sip', host: 'pbx.example.com', secure: false } });
    expect(parseServer('pbx.example.com:5080')).toMatchObject({ ok: true, server: { port: 5080 } });
    expect(parseServer('sip:[2001:db8::1]:5062;transport=tls')).toMatchObject({ ok: true, server: { host: '2001:db8::1', hostKind: 'ipv6', port: 5062 } });
  });

  it('refuses anything else with a sentence', () => {
    for (const bad of [
      '',
      ' sip:pbx.example',
      'http://pbx.example/ws',
      'wss://user@pbx.example/ws',
      'sip:1001@pbx.example',
      'sip:pbx.example;transport=sctp',
      'sip:pbx.example;lr',
      'sip:pbx.example;transport=udp;transport=tcp',
      'sips:pbx.example;transport=udp',
      'sip:pbx.example:0',
      'sip:pbx.example:70000',
      'sip:-bad-.example',
      'pbx.example;transport=udp',
      'sip:127.1',
      'sip:[::1',
      'sip:[zz::1]',
      'sip:pbx.example/path',
      'x'.repeat(600),
      42,
      undefined,
    ]) {
      const r = parseServer(bad);
      expect(r.ok, String(bad)).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/^[a-z].+[a-z0-9]$/);
    }
  });

  it('names the host for summaries', () => {
    expect(serverHost('wss://pbx.example:8089/ws')).toBe('pbx.example:8089');
    expect(serverHost('sip:[::1]:5060;transport=udp')).toBe('[::1]:5060');
    expect(serverHost('sips:pbx.example')).toBe('pbx.example');
    expect(isSipServer('sips:pbx.example')).toBe(true);
    expect(isSipServer('wss://pbx.example')).toBe(false);
  });
});
