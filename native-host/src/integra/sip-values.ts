import { parseSipDate } from '../../../shared/integra';
import type { SipFacts } from '../sip/sip-facts';
import { userOf } from '../sip/sip-uri';

/**
 * Reads the numbers Integra needs out of raw SIP header text (Diversion, History-Info,
 * P-Asserted-Identity, P-Called-Party-ID, To, Date). Everything here is caller-controlled: the
 * results are still whitelisted (`safeNumber`) before they reach a template.
 */

/** Splits a header value at commas outside quotes and angle brackets. */
export function splitHeaderList(value: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '<') depth++;
    else if (c === '>') depth = Math.max(0, depth - 1);
    else if (c === ',' && depth === 0) {
      out.push(value.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(value.slice(start).trim());
  return out.filter((v) => v !== '');
}

/** Parameters after the URI of a name-addr (`;index=1.1;reason=…`), lower-case names. */
function paramsOf(entry: string): Map<string, string> {
  const gt = entry.lastIndexOf('>');
  const tail = gt >= 0 ? entry.slice(gt + 1) : entry.slice(entry.indexOf(';') >= 0 ? entry.indexOf(';') : entry.length);
  const params = new Map<string, string>();
  for (const part of tail.split(';')) {
    const [k, v] = part.split('=');
    if (k && k.trim()) params.set(k.trim().toLowerCase(), (v ?? '').trim());
  }
  return params;
}

function compareIndex(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? -1) - (pb[i] ?? -1);
    if (d !== 0 && Number.isFinite(d)) return d;
  }
  return 0;
}

export interface InviteValues {
  /**
   * !01 of an incoming call: the From user as received (only SIP's %XX unescaping, never cleaned
   * for display), so the whitelist judges what the caller really sent; undefined without From.
   */
  caller: string | undefined;
  /** Diversion or a History-Info chain is present (CALL_FORWARD_IN). */
  forwarded: boolean;
  /** !03: P-Called-Party-ID, else To. */
  did: string;
  /** !06 before the fallback to the caller: P-Asserted-Identity. */
  assertedCaller: string;
  /** !07: the first History-Info / Diversion target, else To. */
  originalCalled: string;
}

export function inviteValues(headers: SipFacts['headers']): InviteValues {
  const list = (name: keyof SipFacts['headers']) => (headers[name] ?? []).flatMap(splitHeaderList).slice(0, 50);
  const diversion = list('Diversion');
  const history = list('History-Info')
    .map((entry, order) => ({ entry, index: paramsOf(entry).get('index') ?? '', order }))
    .sort((a, b) => (a.index && b.index ? compareIndex(a.index, b.index) : a.order - b.order) || a.order - b.order);
  const to = userOf(headers.To?.[0] ?? '');
  // Each diverting proxy adds its Diversion on top: the oldest, the number first called, is last.
  const firstTarget = history.length > 1 ? userOf(history[0]!.entry) : diversion.length ? userOf(diversion[diversion.length - 1]!) : '';
  return {
    caller: headers.From?.length ? userOf(headers.From[0]!) : undefined,
    forwarded: diversion.length > 0 || history.length > 1,
    did: userOf(headers['P-Called-Party-ID']?.[0] ?? '') || to,
    assertedCaller: list('P-Asserted-Identity').map(userOf).find((u) => u !== '') ?? '',
    originalCalled: firstTarget || to,
  };
}

/** PBX clock minus ours, from a Date header; undefined without one. */
export function serverOffset(facts: SipFacts): number | undefined {
  const date = parseSipDate(facts.headers.Date?.[0]);
  return date === undefined ? undefined : date - facts.receivedAt;
}
