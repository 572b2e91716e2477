import { isIP } from 'node:net';
import { checkServerIdentity, type ConnectionOptions } from 'node:tls';
import { Client, FilterParser, type Entry } from 'ldapts';
import type { ContactMatch, SearchHit } from '../../../shared/protocol';
import type { NumberForms } from '../../../shared/phone/number-forms';
import type { LdapSettings } from '../../../shared/settings/directory';
import { cleanText } from './contact';
import { numberFilter, searchFilter } from './ldap-filter';

/** Connect, bind and answer within this, or the directory is skipped for that call. */
export const LDAP_TIMEOUT_MS = 1_500;

function text(entry: Entry, attribute: string): string | undefined {
  const value = entry[attribute] ?? entry[Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase()) ?? ''];
  const first = Array.isArray(value) ? value[0] : value;
  return cleanText(Buffer.isBuffer(first) ? first.toString('utf8') : first);
}

/**
 * One LDAP operation: connect (ldap:// with optional StartTLS, or ldaps://), bind with the
 * host-kept DN and password (anonymous when no DN), search, unbind. A connection per lookup: a
 * call is rare next to the cost of a stale pooled socket, and a loopback round trip is ~5 ms.
 */
async function withClient<T>(s: LdapSettings, run: (client: Client) => Promise<T>): Promise<T> {
  // The server's certificate is always verified: against the administrator's CA when given, else the system's.
  const host = new URL(s.url).hostname.replace(/^\[|\]$/g, '');
  const ip = isIP(host) !== 0;
  const tls: ConnectionOptions = {
    ...(s.caCertificate ? { ca: [s.caCertificate] } : {}),
    // SNI takes names only; the identity is checked against the URL's host either way (StartTLS
    // would otherwise check "localhost": ldapts hands tls.connect the socket, not the host).
    ...(ip ? {} : { servername: host }),
    checkServerIdentity: (_name, cert) => checkServerIdentity(host, cert),
  };
  const client = new Client({ url: s.url, timeout: LDAP_TIMEOUT_MS, connectTimeout: LDAP_TIMEOUT_MS, strictDN: false, ...(/^ldaps:/i.test(s.url) ? { tlsOptions: tls } : {}) });
  try {
    if (s.startTls && /^ldap:/i.test(s.url)) await client.startTLS(tls);
    if (s.bindDn) await client.bind(s.bindDn, s.password ?? '');
    return await run(client);
  } catch (err) {
    throw readable(err);
  } finally {
    await client.unbind().catch(() => undefined);
  }
}

/** An LDAP result code as words for the log and the Test panel (ldapts says only " Code: 0x31"). */
function readable(err: unknown): Error {
  const e = err as { name?: string; code?: unknown; message?: string };
  if (typeof e?.code !== 'number' || !e.name?.endsWith('Error')) return err as Error;
  const words = e.name.replace(/Error$/, '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  const detail = (e.message ?? '').replace(/\s*Code: 0x[0-9a-f]+\s*/i, '').trim();
  return new Error(`LDAP ${words} (result ${e.code})${detail ? `: ${detail.slice(0, 200)}` : ''}`);
}

/** Checked before it is sent, so a bad template is reported as the administrator's, not the server's. */
function parsed(filter: string): string {
  FilterParser.parseString(filter);
  return filter;
}

/** Who a number is in the directory (undefined: not there). Throws when the directory failed. */
export async function ldapLookup(s: LdapSettings, forms: NumberForms): Promise<ContactMatch | undefined> {
  const filter = parsed(numberFilter(s.filter, forms));
  const { searchEntries } = await withClient(s, (c) =>
    c.search(s.baseDn, { scope: 'sub', filter, sizeLimit: 2, timeLimit: 2, attributes: [s.nameAttribute, s.companyAttribute] }),
  );
  for (const entry of searchEntries) {
    const name = text(entry, s.nameAttribute);
    if (!name) continue;
    const company = text(entry, s.companyAttribute);
    return { name, ...(company ? { company } : {}), source: 'ldap' };
  }
  return undefined;
}

/** Entries whose name matches every typed word, with their numbers. Throws when the directory failed. */
export async function ldapSearch(s: LdapSettings, words: readonly string[], limit: number): Promise<SearchHit[]> {
  if (words.length === 0) return [];
  const filter = parsed(searchFilter(s.searchFilter, words));
  const { searchEntries } = await withClient(s, (c) =>
    c.search(s.baseDn, { scope: 'sub', filter, sizeLimit: limit, paged: false, timeLimit: 2, attributes: [s.nameAttribute, s.companyAttribute, ...s.numberAttributes] }),
  );
  const hits: SearchHit[] = [];
  for (const entry of searchEntries) {
    const name = text(entry, s.nameAttribute);
    if (!name) continue;
    const numbers: SearchHit['numbers'] = [];
    for (const attribute of s.numberAttributes) {
      const values = entry[attribute];
      for (const v of Array.isArray(values) ? values : values !== undefined ? [values] : []) {
        const n = cleanText(Buffer.isBuffer(v) ? v.toString('utf8') : v, 64);
        if (n && numbers.length < 8) numbers.push({ number: n, label: attribute });
      }
    }
    if (numbers.length === 0) continue;
    const company = text(entry, s.companyAttribute);
    hits.push({ name, ...(company ? { company } : {}), numbers, source: 'ldap' });
  }
  return hits.slice(0, limit);
}
