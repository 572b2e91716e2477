/**
 * The account's server, as the user types it (DESIGN section 11): a WebSocket URL (the PBX speaks
 * SIP over WebSocket and terminates WebRTC media), or a plain SIP server the host reaches over UDP,
 * TCP or TLS: `sip:host[:port][;transport=udp|tcp|tls]`, `sips:host[:port]`, or a bare host name
 * (`pbx.example.com[:port]`), resolved with RFC 3263. Every input decodes to a value or an error;
 * nothing throws.
 */

export type SipTransport = 'udp' | 'tcp' | 'tls';

export type ServerAddress =
  | { kind: 'ws'; url: string }
  | {
      kind: 'sip';
      /** Lower-case name, dotted IPv4, or IPv6 without brackets. */
      host: string;
      hostKind: 'name' | 'ipv4' | 'ipv6';
      /** Absent: RFC 3263 decides (SRV, else 5060 / 5061 for TLS). */
      port?: number;
      /** Absent: RFC 3263 decides (NAPTR/SRV, else UDP; `sips:` is always TLS). */
      transport?: SipTransport;
      secure: boolean;
    };

export type ServerParse = { ok: true; server: ServerAddress } | { ok: false; reason: string };

export const SERVER_MAX_LENGTH = 512;

const WS_RE = /^wss?:\/\/[^\s/?#@]+(?:[/?#][^\s]*)?$/i;
const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
const NAME_RE = new RegExp(`^(?:${LABEL}\\.)*${LABEL}\\.?$`, 'i');
const IPV4_RE = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const IPV6_RE = /^[0-9a-f:.]{2,45}$/i;

function isIpv6(text: string): boolean {
  if (!IPV6_RE.test(text) || !text.includes(':')) return false;
  const parts = text.split('::');
  if (parts.length > 2) return false;
  const groups = parts.flatMap((p) => (p === '' ? [] : p.split(':')));
  const last = groups[groups.length - 1] ?? '';
  const v4 = IPV4_RE.test(last);
  const hex = v4 ? groups.slice(0, -1) : groups;
  if (!hex.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return false;
  const count = hex.length + (v4 ? 2 : 0);
  return parts.length === 2 ? count < 8 : count === 8;
}

/** `host[:port]` → host, kind and port; undefined when it is not one. */
function parseHostPort(text: string): { host: string; hostKind: 'name' | 'ipv4' | 'ipv6'; port?: number } | undefined {
  let host: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0) return undefined;
    host = text.slice(1, end);
    const rest = text.slice(end + 1);
    if (rest !== '' && !rest.startsWith(':')) return undefined;
    portText = rest === '' ? undefined : rest.slice(1);
    if (!isIpv6(host)) return undefined;
  } else {
    const colon = text.indexOf(':');
    host = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
  }
  let port: number | undefined;
  if (portText !== undefined) {
    if (!/^\d{1,5}$/.test(portText)) return undefined;
    port = Number(portText);
    if (port < 1 || port > 65535) return undefined;
  }
  const withPort = port === undefined ? {} : { port };
  if (text.startsWith('[')) return { host: host.toLowerCase(), hostKind: 'ipv6', ...withPort };
  if (IPV4_RE.test(host)) return { host, hostKind: 'ipv4', ...withPort };
  // All-numeric names such as "127.1" are refused: they are IP literals a resolver reads differently.
  if (host.length > 253 || !NAME_RE.test(host) || /^[\d.]+$/.test(host)) return undefined;
  return { host: host.toLowerCase().replace(/\.$/, ''), hostKind: 'name', ...withPort };
}

const SIP_HELP = 'must be a ws:// or wss:// URL, a SIP server such as sip:pbx.example.com;transport=tcp or sips:pbx.example.com, or a host name';

export function parseServer(input: unknown): ServerParse {
  if (typeof input !== 'string') return { ok: false, reason: SIP_HELP };
  const text = input;
  if (text === '' || /\s/.test(text) || text.length > SERVER_MAX_LENGTH) return { ok: false, reason: SIP_HELP };
  if (/^wss?:/i.test(text)) {
    return WS_RE.test(text) ? { ok: true, server: { kind: 'ws', url: text } } : { ok: false, reason: 'must be a ws:// or wss:// URL with a host and no user name' };
  }
  const scheme = /^(sips?):/i.exec(text)?.[1]?.toLowerCase();
  const body = scheme ? text.slice(scheme.length + 1) : text;
  if (body.includes('@') || /[\s?/]/.test(body)) return { ok: false, reason: SIP_HELP };
  const [hostPort = '', ...params] = body.split(';');
  const hp = parseHostPort(hostPort);
  if (!hp) return { ok: false, reason: SIP_HELP };
  if (!scheme && params.length > 0) return { ok: false, reason: SIP_HELP };
  let transport: SipTransport | undefined;
  for (const p of params) {
    const m = /^transport=(udp|tcp|tls)$/i.exec(p);
    if (!m || transport !== undefined) return { ok: false, reason: 'the only parameter a SIP server takes is ;transport=udp, tcp or tls' };
    transport = m[1]!.toLowerCase() as SipTransport;
  }
  const secure = scheme === 'sips';
  if (secure && transport === 'udp') return { ok: false, reason: 'sips: needs TLS: leave out ;transport=udp' };
  if (secure) transport = 'tls';
  return { ok: true, server: { kind: 'sip', ...hp, ...(transport ? { transport } : {}), secure } };
}

/** True when the account's server is a plain SIP server (UDP/TCP/TLS from the host). */
export function isSipServer(input: string): boolean {
  const r = parseServer(input);
  return r.ok && r.server.kind === 'sip';
}

/** The host (and port when given) for summaries: "pbx.example.com:5080". */
export function serverHost(input: string): string {
  const r = parseServer(input);
  if (!r.ok) return input.slice(0, 64);
  if (r.server.kind === 'ws') {
    try {
      return new URL(r.server.url).host;
    } catch {
      return r.server.url.slice(0, 64);
    }
  }
  const host = r.server.hostKind === 'ipv6' ? `[${r.server.host}]` : r.server.host;
  return r.server.port === undefined ? host : `${host}:${r.server.port}`;
}
