import { promises as dnsPromises } from 'node:dns';
import { isIP } from 'node:net';
import type { ServerAddress, SipTransport } from '../../../../shared/sip-server/server-address';

/** One place to send SIP to, in the order RFC 3263 says to try them. */
export interface SipTarget {
  transport: SipTransport;
  /** An IP address (never a name: the socket connects to exactly this). */
  address: string;
  port: number;
  /** The name the certificate must carry for TLS (the SIP domain, or the IP literal typed). */
  servername: string;
}

export type SipServer = Extract<ServerAddress, { kind: 'sip' }>;

interface NaptrLike {
  flags: string;
  service: string;
  regexp: string;
  replacement: string;
  order: number;
  preference: number;
}
interface SrvLike {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/** The part of node:dns/promises RFC 3263 needs; tests inject a fake. */
export interface DnsResolver {
  resolveNaptr(name: string): Promise<NaptrLike[]>;
  resolveSrv(name: string): Promise<SrvLike[]>;
  /** Every address of a name, IPv4 first (what getaddrinfo gives is fine). */
  lookup(name: string): Promise<string[]>;
}

export const systemResolver: DnsResolver = {
  resolveNaptr: (name) => dnsPromises.resolveNaptr(name),
  resolveSrv: (name) => dnsPromises.resolveSrv(name),
  lookup: async (name) => (await dnsPromises.lookup(name, { all: true, order: 'ipv4first' })).map((a) => a.address),
};

/** The DNS name cannot be resolved at all (shown as "DNS Error: …"). */
export class DnsResolutionError extends Error {
  constructor(readonly host: string, detail: string) {
    super(`cannot resolve ${host}: ${detail}`);
    this.name = 'DnsResolutionError';
  }
}

const DEFAULT_PORT: Record<SipTransport, number> = { udp: 5060, tcp: 5060, tls: 5061 };
const SRV_PREFIX: Record<SipTransport, string> = { udp: '_sip._udp.', tcp: '_sip._tcp.', tls: '_sips._tcp.' };
const NAPTR_SERVICE: Record<string, SipTransport> = { 'SIP+D2U': 'udp', 'SIP+D2T': 'tcp', 'SIPS+D2T': 'tls' };
/** RFC 3263 4.1: with no NAPTR, try SRV for each transport we support, in our order of preference. */
const FALLBACK_ORDER: SipTransport[] = ['udp', 'tcp', 'tls'];

/** NXDOMAIN, no data and the like: "no such record", not a failure of the lookup itself. */
async function orEmpty<T>(p: Promise<T[]>): Promise<T[]> {
  try {
    return await p;
  } catch {
    return [];
  }
}

/** RFC 2782: by priority, then at random weighted by weight within one priority. */
export function orderSrv<T extends SrvLike>(records: readonly T[], random: () => number = Math.random): T[] {
  const byPriority = new Map<number, T[]>();
  for (const r of records) byPriority.set(r.priority, [...(byPriority.get(r.priority) ?? []), r]);
  const out: T[] = [];
  for (const priority of [...byPriority.keys()].sort((a, b) => a - b)) {
    const pool = [...(byPriority.get(priority) ?? [])].sort((a, b) => a.weight - b.weight);
    while (pool.length > 0) {
      const total = pool.reduce((sum, r) => sum + r.weight, 0);
      let pick = 0;
      if (total > 0) {
        let threshold = random() * total;
        pick = pool.findIndex((r) => (threshold -= r.weight) < 0);
        if (pick < 0) pick = pool.length - 1;
      }
      out.push(...pool.splice(pick, 1));
    }
  }
  return out;
}

async function addresses(resolver: DnsResolver, name: string): Promise<string[]> {
  if (isIP(name)) return [name];
  return orEmpty(resolver.lookup(name));
}

async function fromSrv(resolver: DnsResolver, srvName: string, transport: SipTransport, servername: string, random: () => number): Promise<SipTarget[]> {
  const records = orderSrv(await orEmpty(resolver.resolveSrv(srvName)), random);
  const out: SipTarget[] = [];
  for (const r of records) {
    // RFC 2782: a target of "." means the service is decidedly not available here.
    if (r.name === '.' || r.name === '') continue;
    for (const address of await addresses(resolver, r.name)) out.push({ transport, address, port: r.port, servername });
  }
  return out;
}

/**
 * RFC 3263 section 4: the ordered list of (transport, address, port) to try for a SIP server.
 * An IP literal skips DNS; an explicit port skips NAPTR and SRV; an explicit transport skips
 * NAPTR; a bare name tries NAPTR, then SRV per transport, then A/AAAA on UDP 5060 (`sips:`: TLS
 * 5061). Throws DnsResolutionError when nothing at all resolves.
 */
export async function resolveSipServer(server: SipServer, resolver: DnsResolver = systemResolver, random: () => number = Math.random): Promise<SipTarget[]> {
  const servername = server.host;
  const fallbackTransport: SipTransport = server.transport ?? (server.secure ? 'tls' : 'udp');
  if (server.hostKind !== 'name') {
    return [{ transport: fallbackTransport, address: server.host, port: server.port ?? DEFAULT_PORT[fallbackTransport], servername }];
  }
  const byAddress = async (transport: SipTransport, port: number): Promise<SipTarget[]> =>
    (await addresses(resolver, server.host)).map((address) => ({ transport, address, port, servername }));
  let targets: SipTarget[] = [];
  if (server.port !== undefined) {
    targets = await byAddress(fallbackTransport, server.port);
  } else if (server.transport !== undefined) {
    targets = await fromSrv(resolver, SRV_PREFIX[server.transport] + server.host, server.transport, servername, random);
    if (targets.length === 0) targets = await byAddress(server.transport, DEFAULT_PORT[server.transport]);
  } else {
    const naptr = (await orEmpty(resolver.resolveNaptr(server.host)))
      .filter((n) => n.flags.toLowerCase() === 's' && NAPTR_SERVICE[n.service.toUpperCase()] !== undefined)
      .filter((n) => !server.secure || NAPTR_SERVICE[n.service.toUpperCase()] === 'tls')
      .sort((a, b) => a.order - b.order || a.preference - b.preference);
    for (const n of naptr) {
      targets.push(...(await fromSrv(resolver, n.replacement, NAPTR_SERVICE[n.service.toUpperCase()]!, servername, random)));
    }
    if (targets.length === 0) {
      for (const transport of server.secure ? (['tls'] as const) : FALLBACK_ORDER) {
        targets = await fromSrv(resolver, SRV_PREFIX[transport] + server.host, transport, servername, random);
        if (targets.length > 0) break;
      }
    }
    if (targets.length === 0) targets = await byAddress(fallbackTransport, DEFAULT_PORT[fallbackTransport]);
  }
  if (targets.length === 0) throw new DnsResolutionError(server.host, 'no NAPTR, SRV or address record');
  return targets;
}
