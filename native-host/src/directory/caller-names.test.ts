import pino from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { directorySettingsSchema } from '../../../shared/settings/directory';
import { CallerNames } from './caller-names';
import { ContactIndex } from './contact-index';

const lines: { msg: string; obj: Record<string, unknown> }[] = [];
const log = pino({ level: 'info' }, { write: (l: string) => void lines.push({ msg: JSON.parse(l).msg, obj: JSON.parse(l) }) });
const settings = directorySettingsSchema.parse({
  ldap: { enabled: true, url: 'ldap://127.0.0.1:1', baseDn: 'dc=example' },
  crm: { enabled: true, urlTemplate: 'http://127.0.0.1:1/?n=!01', cacheSeconds: 60 },
});
const index = new ContactIndex([{ name: 'Local One', numbers: [{ number: '0211111111' }] }], 'IT');

function names(over: { ldap?: unknown; crm?: unknown; now?: () => number } = {}) {
  const ldapLookup = vi.fn((over.ldap ?? (async () => undefined)) as (...a: unknown[]) => Promise<unknown>);
  const crm = vi.fn((over.crm ?? (async () => undefined)) as (...a: unknown[]) => Promise<unknown>);
  const n = new CallerNames({
    log,
    settings: () => settings,
    country: () => 'IT',
    contacts: () => index,
    ownExtension: () => '201',
    ldap: { lookup: ldapLookup as never, search: vi.fn(async () => []) as never },
    crm: crm as never,
    ...(over.now ? { now: over.now } : {}),
  });
  return { n, ldapLookup, crm };
}

describe('CallerNames', () => {
  it('asks contacts, then LDAP, then the CRM, and stops at the first that knows', async () => {
    const { n, ldapLookup, crm } = names({ ldap: async () => ({ name: 'From LDAP', source: 'ldap' }) });
    await expect(n.lookup('+39 02 1111 1111')).resolves.toEqual({ name: 'Local One', source: 'contacts' });
    expect(ldapLookup).not.toHaveBeenCalled();
    await expect(n.lookup('0222222222')).resolves.toEqual({ name: 'From LDAP', source: 'ldap' });
    expect(crm).not.toHaveBeenCalled();
  });

  it('passes the CRM the call facts and caches its answer (not found included)', async () => {
    const { n, crm } = names({ crm: async () => ({ name: 'From CRM', source: 'crm' }) });
    await expect(n.lookup('0233333333', { direction: 'out', callId: 'c9' })).resolves.toEqual({ name: 'From CRM', source: 'crm' });
    expect(crm.mock.calls[0]![1]).toEqual({ event: 'CALL_OUT', remoteNumber: '0233333333', callId: 'c9', ownExtension: '201' });
    await n.lookup('+39 02 3333 3333');
    expect(crm).toHaveBeenCalledTimes(1);
  });

  it('expires the cache', async () => {
    let now = 0;
    const { n, crm } = names({ now: () => now });
    await n.lookup('0244444444');
    await n.lookup('0244444444');
    expect(crm).toHaveBeenCalledTimes(1);
    now = 61_000;
    await n.lookup('0244444444');
    expect(crm).toHaveBeenCalledTimes(2);
  });

  it('logs a failed source, goes on to the next, and does not cache the failure', async () => {
    lines.length = 0;
    const { n, crm } = names({ ldap: async () => Promise.reject(new Error('connect ECONNREFUSED')), crm: async () => Promise.reject(new Error('answer larger than 262144 bytes')) });
    await expect(n.lookup('0255555555')).resolves.toBeUndefined();
    expect(lines.map((l) => [l.msg, l.obj.reason ?? l.obj.err])).toEqual([
      ['LDAP lookup failed', 'connect ECONNREFUSED'],
      ['CRM answer dropped', 'answer larger than 262144 bytes'],
    ]);
    await n.lookup('0255555555');
    expect(crm).toHaveBeenCalledTimes(2);
  });

  it('never looks up what is not a number', async () => {
    const { n, ldapLookup, crm } = names();
    await expect(n.lookup('*)(uid=*')).resolves.toBeUndefined();
    expect(ldapLookup).not.toHaveBeenCalled();
    expect(crm).not.toHaveBeenCalled();
  });

  it('reports each source in a test, failures in words', async () => {
    const { n } = names({ ldap: async () => Promise.reject(new Error('Invalid credentials')), crm: async () => ({ name: 'C', source: 'crm' }) });
    const steps = await n.test('0266666666');
    expect(steps.map((s) => [s.source, s.outcome, s.detail])).toEqual([
      ['contacts', 'not-found', undefined],
      ['ldap', 'failed', 'Invalid credentials'],
      ['crm', 'found', undefined],
    ]);
  });
});
