import { describe, expect, it } from 'vitest';
import { parseServer } from '../../../../shared/sip-server/server-address';
import { DnsResolutionError, orderSrv, resolveSipServer, type DnsResolver, type SipServer } from './resolve';

function sip(text: string): SipServer {
  const r = parseServer(text);
  if (!r.ok || r.server.kind !== 'sip') throw new Error(`not a SIP server: ${text}`);
  return r.server;
}

/** A zone in memory; every query is recorded, so a test can prove DNS was (not) asked. */
function zone(records: { naptr?: Record<string, unknown[]>; srv?: Record<string, unknown[]>; a?: Record<string, string[]> }) {
  const queries: string[] = [];
  const nx = (name: string) => Promise.reject(Object.assign(new Error(`queryNx ${name}`), { code: 'ENOTFOUND' }));
  const resolver: DnsResolver = {
    resolveNaptr: (name) => (queries.push(`NAPTR ${name}`), records.naptr?.[name] ? Promise.resolve(records.naptr[name] as never) : nx(name)),
    resolveSrv: (name) => (queries.push(`SRV ${name}`), records.srv?.[name] ? Promise.resolve(records.srv[name] as never) : nx(name)),
    lookup: (name) => (queries.push(`A ${name}`), records.a?.[name] ? Promise.resolve(records.a[name]) : nx(name)),
  };
  return { resolver, queries };
}

const naptr = (order: number, preference: number, service: string, replacement: string) => ({ flags: 's', service, regexp: '', replacement, order, preference });
const srv = (priority: number, weight: number, port: number, name: string) => ({ priority, weight, port, name });

describe('RFC 3263 resolution', () => {
  it('an IP literal skips DNS: UDP 5060, or what the URI says', async () => {
    const { resolver, queries } = zone({});
    expect(await resolveSipServer(sip('sip:10.0.0.5'), resolver)).toEqual([{ transport: 'udp', address: '10.0.0.5', port: 5060, servername: '10.0.0.5' }]);
    expect(await resolveSipServer(sip('sips:10.0.0.5'), resolver)).toEqual([{ transport: 'tls', address: '10.0.0.5', port: 5061, servername: '10.0.0.5' }]);
    expect(await resolveSipServer(sip('sip:[::1]:5070;transport=tcp'), resolver)).toEqual([{ transport: 'tcp', address: '::1', port: 5070, servername: '::1' }]);
    expect(queries).toEqual([]);
  });

  it('NAPTR → SRV → A, in NAPTR order then SRV priority', async () => {
    const { resolver } = zone({
      naptr: { 'pbx.example': [naptr(20, 10, 'SIP+D2U', '_sip._udp.pbx.example'), naptr(10, 10, 'SIP+D2T', '_sip._tcp.pbx.example'), naptr(5, 10, 'SIP+D2S', '_sip._sctp.pbx.example')] },
      srv: {
        '_sip._tcp.pbx.example': [srv(20, 0, 5070, 'backup.pbx.example'), srv(10, 0, 5060, 'main.pbx.example')],
        '_sip._udp.pbx.example': [srv(10, 0, 5060, 'main.pbx.example')],
      },
      a: { 'main.pbx.example': ['192.0.2.1', '2001:db8::1'], 'backup.pbx.example': ['192.0.2.2'] },
    });
    expect(await resolveSipServer(sip('pbx.example'), resolver)).toEqual([
      { transport: 'tcp', address: '192.0.2.1', port: 5060, servername: 'pbx.example' },
      { transport: 'tcp', address: '2001:db8::1', port: 5060, servername: 'pbx.example' },
      { transport: 'tcp', address: '192.0.2.2', port: 5070, servername: 'pbx.example' },
      { transport: 'udp', address: '192.0.2.1', port: 5060, servername: 'pbx.example' },
      { transport: 'udp', address: '2001:db8::1', port: 5060, servername: 'pbx.example' },
    ]);
  });

  it('sips: takes only the TLS NAPTR records', async () => {
    const { resolver } = zone({
      naptr: { 'pbx.example': [naptr(10, 10, 'SIP+D2U', '_sip._udp.pbx.example'), naptr(20, 10, 'SIPS+D2T', '_sips._tcp.pbx.example')] },
      srv: { '_sips._tcp.pbx.example': [srv(0, 0, 5061, 'tls.pbx.example')], '_sip._udp.pbx.example': [srv(0, 0, 5060, 'udp.pbx.example')] },
      a: { 'tls.pbx.example': ['192.0.2.9'], 'udp.pbx.example': ['192.0.2.8'] },
    });
    expect(await resolveSipServer(sip('sips:pbx.example'), resolver)).toEqual([{ transport: 'tls', address: '192.0.2.9', port: 5061, servername: 'pbx.example' }]);
  });

  it('no NAPTR: SRV per transport (UDP, then TCP, then TLS)', async () => {
    const { resolver, queries } = zone({ srv: { '_sip._tcp.pbx.example': [srv(0, 0, 5080, 'pbx.example')] }, a: { 'pbx.example': ['192.0.2.3'] } });
    expect(await resolveSipServer(sip('pbx.example'), resolver)).toEqual([{ transport: 'tcp', address: '192.0.2.3', port: 5080, servername: 'pbx.example' }]);
    expect(queries.slice(0, 3)).toEqual(['NAPTR pbx.example', 'SRV _sip._udp.pbx.example', 'SRV _sip._tcp.pbx.example']);
  });

  it('a bare host name with no NAPTR and no SRV falls back to UDP 5060', async () => {
    const { resolver } = zone({ a: { 'pbx.example': ['192.0.2.4'] } });
    expect(await resolveSipServer(sip('pbx.example'), resolver)).toEqual([{ transport: 'udp', address: '192.0.2.4', port: 5060, servername: 'pbx.example' }]);
    expect(await resolveSipServer(sip('sips:pbx.example'), resolver)).toEqual([{ transport: 'tls', address: '192.0.2.4', port: 5061, servername: 'pbx.example' }]);
  });

  it('an explicit transport asks SRV for it only; an explicit port asks only A/AAAA', async () => {
    const a = zone({ srv: { '_sip._tcp.pbx.example': [srv(0, 0, 5090, 'pbx.example')] }, a: { 'pbx.example': ['192.0.2.5'] } });
    expect(await resolveSipServer(sip('sip:pbx.example;transport=tcp'), a.resolver)).toEqual([{ transport: 'tcp', address: '192.0.2.5', port: 5090, servername: 'pbx.example' }]);
    expect(a.queries).toEqual(['SRV _sip._tcp.pbx.example', 'A pbx.example']);
    const b = zone({ a: { 'pbx.example': ['192.0.2.5'] } });
    expect(await resolveSipServer(sip('sip:pbx.example:5062'), b.resolver)).toEqual([{ transport: 'udp', address: '192.0.2.5', port: 5062, servername: 'pbx.example' }]);
    expect(b.queries).toEqual(['A pbx.example']);
  });

  it('an SRV target of "." is skipped; nothing at all is a DnsResolutionError', async () => {
    const { resolver } = zone({ srv: { '_sip._udp.nowhere.example': [srv(0, 0, 0, '.')] } });
    const err = await resolveSipServer(sip('nowhere.example'), resolver).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DnsResolutionError);
    expect((err as Error).message).toBe('cannot resolve nowhere.example: no NAPTR, SRV or address record');
  });
});

describe('orderSrv (RFC 2782)', () => {
  it('sorts by priority and picks by weight within one', () => {
    const records = [srv(10, 0, 1, 'c'), srv(0, 90, 1, 'a'), srv(0, 10, 1, 'b')];
    // Running sums over [b 10, a 90]: a draw below 10 % picks b, anything above picks a.
    expect(orderSrv(records, () => 0.95).map((r) => r.name)).toEqual(['a', 'b', 'c']);
    expect(orderSrv(records, () => 0.05).map((r) => r.name)).toEqual(['b', 'a', 'c']);
    // Weight 0 records stay reachable.
    expect(orderSrv([srv(0, 0, 1, 'x'), srv(0, 0, 1, 'y')], () => 0.5).map((r) => r.name).sort()).toEqual(['x', 'y']);
  });
});
