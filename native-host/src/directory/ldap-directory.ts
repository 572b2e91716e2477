import { Client, FilterParser, type Entry } from 'ldapts';
import type { ContactMatch, SearchHit } from '../../../shared/protocol';
import type { NumberForms } from '../../../shared/phone/number-forms';
import type { LdapSettings } from '../../../shared/settings/directory';
import { cleanText } from './contact';
import { numberFilter, searchFilter } from './ldap-filter';

/** Connect, bind and answer within this, or the directory is skipped for that call. */
export const LDAP_TIMEOUT_MS = 1_500;

/** The settings an LDAP lookup can run with, or why not. */
export function ldapReady(s: LdapSettings): string | undefined {
  if (!s.enabled) return 'off';
  if (!s.url) return 'no server URL';
  if (!s.baseDn) return 'no base DN';
  return undefined;
}

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
  const client = new Client({ url: s.url, timeout: LDAP_TIMEOUT_MS, connectTimeout: LDAP_TIMEOUT_MS, strictDN: false });
  try {
    if (s.startTls && /^ldap:/i.test(s.url)) await client.startTLS({ servername: new URL(s.url).hostname });
    if (s.bindDn) await client.bind(s.bindDn, s.password ?? '');
    return await run(client);
  } finally {
    await client.unbind().catch(() => undefined);
  }
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
