import type { CountryCode } from 'libphonenumber-js/max';
import type { ContactMatch, SearchHit, TestStep } from '../../../shared/protocol';
import type { EventFacts } from '../../../shared/integra';
import { numberForms, type NumberForms } from '../../../shared/phone/number-forms';
import type { DirectorySettings } from '../../../shared/settings/directory';
import type { Logger } from '../log';
import type { ContactIndex } from './contact-index';
import { crmLookup, crmReady } from './crm-lookup';
import { queryWords } from './fold';
import type { ldapLookup, ldapSearch } from './ldap-directory';
import { ldapReady } from './ldap-ready';
import { TtlCache } from './ttl-cache';

export interface CallerNamesDeps {
  log: Logger;
  settings(): DirectorySettings;
  country(): CountryCode;
  contacts(): ContactIndex;
  ownExtension(): string | undefined;
  /** The sources, replaceable in unit tests. */
  ldap?: { lookup: typeof ldapLookup; search: typeof ldapSearch };
  crm?: typeof crmLookup;
  now?: () => number;
}

/** What a lookup needs to know of the call, for the CRM URL's placeholders. */
export interface LookupContext {
  direction: 'in' | 'out';
  callId?: string;
}

/**
 * Who a number is (issue 18), asked in order: the local contacts (synchronous, in memory), the
 * LDAP directory, the CRM lookup URL; the caller shows the PBX's display name when all say
 * nobody. Answers of the directory and the CRM, "not found" included, are cached for the CRM's
 * cache time; a failure is logged and not cached, and never holds up the call.
 */
export class CallerNames {
  private readonly cache: TtlCache<ContactMatch | null>;
  private readonly ldap: NonNullable<CallerNamesDeps['ldap']>;
  private readonly crm: typeof crmLookup;

  constructor(private readonly deps: CallerNamesDeps) {
    this.cache = new TtlCache(1_000, deps.now);
    // ldapts is loaded with the first lookup of a configured directory, not at host start.
    this.ldap = deps.ldap ?? {
      lookup: async (...args) => (await import('./ldap-directory')).ldapLookup(...args),
      search: async (...args) => (await import('./ldap-directory')).ldapSearch(...args),
    };
    this.crm = deps.crm ?? crmLookup;
  }

  /** Settings changed: old answers may come from another server. */
  forget(): void {
    this.cache.clear();
  }

  local(number: string): ContactMatch | undefined {
    return this.deps.contacts().lookup(number);
  }

  async lookup(number: string, context: LookupContext = { direction: 'in' }): Promise<ContactMatch | undefined> {
    const forms = numberForms(number, this.deps.country());
    if (!forms) return undefined;
    const local = this.local(number);
    if (local) return local;
    const cached = this.cache.get(forms.key);
    if (cached) return cached.value ?? undefined;
    const s = this.deps.settings();
    const ldap = await this.fromLdap(s, forms);
    const found = ldap || (await this.fromCrm(s, number, context));
    // "Nobody" is cached only when every source answered; a name is cached whoever failed.
    if (found || (ldap !== false && found !== false)) this.cache.set(forms.key, found || null, s.crm.cacheSeconds * 1000);
    return found || undefined;
  }

  /** undefined: not there; false: the source failed (so the answer is not cached). */
  private async fromLdap(s: DirectorySettings, forms: NumberForms): Promise<ContactMatch | undefined | false> {
    if (ldapReady(s.ldap)) return undefined;
    try {
      return await this.ldap.lookup(s.ldap, forms);
    } catch (err) {
      this.deps.log.warn({ source: 'ldap', err: (err as Error).message }, 'LDAP lookup failed');
      return false;
    }
  }

  private async fromCrm(s: DirectorySettings, number: string, context: LookupContext): Promise<ContactMatch | undefined | false> {
    if (crmReady(s.crm)) return undefined;
    try {
      return await this.crm(s.crm, this.facts(number, context));
    } catch (err) {
      this.deps.log.warn({ source: 'crm', reason: (err as Error).message }, 'CRM answer dropped');
      return false;
    }
  }

  private facts(number: string, context: LookupContext): Omit<EventFacts, 'time'> {
    return { event: context.direction === 'in' ? 'CALL_IN' : 'CALL_OUT', remoteNumber: number, callId: context.callId, ownExtension: this.deps.ownExtension() };
  }

  /** Dial by name: the contacts at once, then the directory (its failure leaves the contacts' hits). */
  async search(query: string, limit = 20): Promise<{ hits: SearchHit[]; ldap: 'ok' | 'off' | 'failed' }> {
    const hits = this.deps.contacts().search(query, limit);
    const s = this.deps.settings();
    const words = queryWords(query);
    if (ldapReady(s.ldap) || words.length === 0) return { hits, ldap: 'off' };
    try {
      const more = await this.ldap.search(s.ldap, words, limit);
      const known = new Set(hits.flatMap((h) => h.numbers.map((n) => n.number)));
      for (const h of more) if (hits.length < limit && !h.numbers.every((n) => known.has(n.number))) hits.push(h);
      return { hits, ldap: 'ok' };
    } catch (err) {
      this.deps.log.warn({ source: 'ldap', err: (err as Error).message }, 'LDAP search failed');
      return { hits, ldap: 'failed' };
    }
  }

  /** Every source asked, no cache: the options' Test panel. */
  async test(number: string): Promise<TestStep[]> {
    const s = this.deps.settings();
    const forms = numberForms(number, this.deps.country());
    const steps: TestStep[] = [];
    const step = async (source: TestStep['source'], off: string | undefined, run: () => Promise<ContactMatch | undefined>) => {
      const started = performance.now();
      if (off === 'off') return void steps.push({ source, outcome: 'off', ms: 0 });
      try {
        if (off) throw new Error(off);
        const contact = await run();
        steps.push({ source, outcome: contact ? 'found' : 'not-found', ms: Math.round(performance.now() - started), ...(contact ? { contact } : {}) });
      } catch (err) {
        steps.push({ source, outcome: 'failed', ms: Math.round(performance.now() - started), detail: String((err as Error).message).slice(0, 500) });
      }
    };
    await step('contacts', undefined, async () => this.local(number));
    await step('ldap', ldapReady(s.ldap) ?? (forms ? undefined : 'not a phone number'), () => this.ldap.lookup(s.ldap, forms!));
    await step('crm', crmReady(s.crm), () => this.crm(s.crm, this.facts(number, { direction: 'in' })));
    return steps;
  }
}
