import type { VoispeedCommand } from '../parse';

/**
 * A second, independent reading of the README grammar, for differential fuzzing: whole-field
 * regular expressions instead of the parser's character-by-character checks, no shared code. If
 * the two ever disagree on an input, one of them is wrong about the specification.
 */

const IPV4_OCTET = '(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])';
const IPV4 = new RegExp(`^(?:${IPV4_OCTET}\\.){3}${IPV4_OCTET}$`);
const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^(?:${LABEL}\\.)*${LABEL}$`);
const NUMERIC_LOOKING_LABEL = /(?:^|\.)(?:[0-9]+|0[xX][0-9A-Fa-f]*)$/;

const trim = (s: string): string => s.replace(/^ +/, '').replace(/ +$/, '');

function host(h: string): boolean {
  if (h.length > 253) return false;
  if (IPV4.test(h)) return true;
  return DNS_NAME.test(h) && !NUMERIC_LOOKING_LABEL.test(h);
}

function port(p: string | undefined): boolean {
  return p === undefined || (/^[1-9][0-9]{0,4}$/.test(p) && +p < 65536);
}

function number(raw: string): string | null {
  const t = trim(raw);
  if (t.length < 1 || t.length > 64 || !/^[-0-9+*#. ()]+$/.test(t)) return null;
  const n = t.replace(/[-. ()]/g, '');
  return /^(?:\+[0-9]{1,31}|(?=[*#]*[0-9])[0-9*#]{1,32})$/.test(n) ? n : null;
}

function extId(raw: string): string | null {
  const t = trim(raw);
  return /^[^,<>"'`\\;&|$()%!^]{1,64}$/.test(t) ? t : null;
}

function callId(raw: string): string | null {
  const t = trim(raw);
  return /^[-A-Za-z0-9._@+]{1,128}$/.test(t) ? t : null;
}

function target(raw: string): string | null {
  const t = trim(raw);
  const sip = /^sip:([-A-Za-z0-9._+]{1,64})@([^:@]*)(?::([^@]*))?$/i.exec(t);
  if (sip) return host(sip[2] ?? '') && port(sip[3]) ? `sip:${t.slice(4)}` : null;
  return /^sip:/i.test(t) ? null : number(t);
}

function wsUrl(raw: string): string | null {
  const t = trim(raw);
  const m = /^(wss?):\/\/([^/?#:]*)(?::([^/?#]*))?([/?][-A-Za-z0-9._~/?=&+:]*)?$/i.exec(t);
  if (!m || t.length > 512 || !host(m[2] ?? '') || !port(m[3])) return null;
  return `${(m[1] ?? '').toLowerCase()}${t.slice((m[1] ?? '').length)}`;
}

/** url1/url2 that are not WebSocket URLs: [sip:|sips:]host[:port][;transport=udp|tcp|tls]. */
function sipServer(raw: string): string | null {
  const t = trim(raw);
  const m = /^(?:(sip|sips):)?([^:;]+)(?::([^;]*))?(;transport=(?:udp|tcp|tls))?$/i.exec(t);
  if (!m || t.length > 512 || !host(m[2] ?? '') || !port(m[3])) return null;
  const scheme = m[1]?.toLowerCase();
  const transport = m[4]?.toLowerCase();
  if (transport && !scheme) return null;
  if (scheme === 'sips' && transport === ';transport=udp') return null;
  return `${scheme ? `${scheme}:` : ''}${m[2]}${m[3] === undefined ? '' : `:${m[3]}`}${transport ?? ''}`;
}

function server(raw: string): string | null {
  return /^ *wss?:/i.test(raw) ? wsUrl(raw) : sipServer(raw);
}

/** The command an input means per the README, or null when it must be refused. */
export function oracle(input: unknown): VoispeedCommand | null {
  if (typeof input !== 'string' || input.length === 0 || input.length > 2048) return null;
  if (!/^voispeed:/i.test(input)) return null;
  let rest = input.slice(9);
  if (rest.startsWith('//')) rest = rest.slice(2).replace(/\/$/, '');
  let text: string;
  try {
    text = decodeURIComponent(rest);
  } catch {
    return null;
  }
  // Every field's alphabet is printable ASCII, so anything else anywhere is a refusal.
  if (/[^ -~]/.test(text)) return null;
  text = text.replace(/^ /, '');
  if (/^[^A-Za-z]/.test(text)) return call(text);
  const body = text.slice(1);
  switch (text[0]) {
    case 'C':
    case 'c':
      return call(body);
    case 'D':
    case 'd': {
      if (body.includes(',')) return null;
      if (trim(body) === '') return { kind: 'hangup' };
      const id = callId(body);
      return id === null ? null : { kind: 'hangup', callId: id };
    }
    case 'F':
    case 'f': {
      const f = body.split(',');
      if (f.length > 2) return null;
      const to = target(f[0] ?? '');
      if (to === null) return null;
      if (f.length === 1) return { kind: 'forward', target: to };
      const id = callId(f[1] ?? '');
      return id === null ? null : { kind: 'forward', target: to, callId: id };
    }
    case 'U':
    case 'u':
      return configure(body);
    default:
      return null;
  }
}

function call(body: string): VoispeedCommand | null {
  const f = body.split(',');
  if (f.length > 2) return null;
  const n = number(f[0] ?? '');
  if (n === null) return null;
  if (f.length === 1) return { kind: 'call', number: n };
  const e = extId(f[1] ?? '');
  return e === null ? null : { kind: 'call', number: n, extId: e };
}

function configure(body: string): VoispeedCommand | null {
  const m = /^([^,@]*)@([^,@]*),([^,]*),([^,]*),([^,]*)(?:,([^,]*))?$/.exec(body);
  if (!m) return null;
  const user = trim(m[1] ?? '');
  const domain = trim(m[2] ?? '');
  const ha1 = trim(m[3] ?? '');
  const extension = trim(m[4] ?? '');
  if (!/^[-A-Za-z0-9._]{1,64}$/.test(user) || !host(domain)) return null;
  if (!/^[0-9A-Fa-f]{32}$/.test(ha1) || !/^[0-9]{1,16}$/.test(extension)) return null;
  const primary = server(m[5] ?? '');
  const backup = m[6] === undefined ? undefined : server(m[6]);
  if (primary === null || backup === null) return null;
  return {
    kind: 'configure',
    user,
    domain,
    ha1: ha1.toLowerCase(),
    extension,
    wsUrls: backup === undefined ? [primary] : [primary, backup],
  };
}

/** Field by field, the whitelists a returned command must satisfy, whatever input produced it. */
export function commandIsClean(c: VoispeedCommand): boolean {
  const keys = Object.keys(c).sort().join(',');
  switch (c.kind) {
    case 'call':
      return (
        (keys === 'kind,number' || keys === 'extId,kind,number') &&
        number(c.number) === c.number &&
        (c.extId === undefined || extId(c.extId) === c.extId)
      );
    case 'hangup':
      return (keys === 'kind' || keys === 'callId,kind') && (c.callId === undefined || callId(c.callId) === c.callId);
    case 'forward':
      return (
        (keys === 'kind,target' || keys === 'callId,kind,target') &&
        target(c.target) === c.target &&
        (c.callId === undefined || callId(c.callId) === c.callId)
      );
    case 'configure':
      return (
        keys === 'domain,extension,ha1,kind,user,wsUrls' &&
        /^[-A-Za-z0-9._]{1,64}$/.test(c.user) &&
        host(c.domain) &&
        /^[0-9a-f]{32}$/.test(c.ha1) &&
        /^[0-9]{1,16}$/.test(c.extension) &&
        Array.isArray(c.wsUrls) &&
        (c.wsUrls.length === 1 || c.wsUrls.length === 2) &&
        c.wsUrls.every((u) => server(u) === u)
      );
    default:
      return false;
  }
}
