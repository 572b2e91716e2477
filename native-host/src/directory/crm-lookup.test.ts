import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmLookupSettingsSchema } from '../../../shared/settings/directory';
import { startCrmFixture, type CrmFixture } from '../../../tests/support/crm-fixture';
import { CRM_TIMEOUT_MS, crmLookup, readCrmAnswer } from './crm-lookup';

let crm: CrmFixture;
const people = { '0212345678': { name: 'Mario Rossi', company: 'Rossi Srl', link: 'https://crm.example/c/42' }, '0299999999': { name: 'Evil', link: 'javascript:alert(1)' } };
const settings = (over: Record<string, unknown>) =>
  crmLookupSettingsSchema.parse({ enabled: true, namePath: 'data.contact.name', companyPath: 'data.contact.company', linkPath: 'data.contact.url', ...over });
const facts = (n: string) => ({ event: 'CALL_IN' as const, remoteNumber: n, callId: 'c1' });

beforeAll(async () => {
  crm = await startCrmFixture(people);
});
afterAll(() => crm.close());

describe('CRM lookup', () => {
  it('reads name, company and link from a JSON answer, sending the header', async () => {
    const s = settings({ urlTemplate: `${crm.origin}/lookup?n=!01&id=!05`, headerName: 'X-Api-Key', headerValue: 'k-123' });
    const seen = crm.nextRequest('/lookup');
    await expect(crmLookup(s, facts('0212345678'))).resolves.toEqual({ name: 'Mario Rossi', company: 'Rossi Srl', link: 'https://crm.example/c/42', source: 'crm' });
    const req = await seen;
    expect(req.query).toEqual({ n: '0212345678', id: 'c1' });
    expect(req.headers['x-api-key']).toBe('k-123');
  });

  it('is not found on 404, and reads a plain-text answer', async () => {
    await expect(crmLookup(settings({ urlTemplate: `${crm.origin}/lookup?n=!01` }), facts('0200000000'))).resolves.toBeUndefined();
    await expect(crmLookup(settings({ urlTemplate: `${crm.origin}/text?n=!01`, format: 'text' }), facts('0212345678'))).resolves.toEqual({ name: 'Mario Rossi', source: 'crm' });
  });

  it('drops a link that is not http(s)', async () => {
    await expect(crmLookup(settings({ urlTemplate: `${crm.origin}/lookup?n=!01` }), facts('0299999999'))).resolves.toEqual({ name: 'Evil', source: 'crm' });
  });

  it('follows a redirect on the same host only', async () => {
    await expect(crmLookup(settings({ urlTemplate: `${crm.origin}/moved?n=!01` }), facts('0212345678'))).resolves.toMatchObject({ name: 'Mario Rossi' });
    await expect(crmLookup(settings({ urlTemplate: `${crm.origin}/away?n=!01` }), facts('0212345678'))).rejects.toThrow(/redirect to another host \(127\.0\.0\.2:9\) refused/);
  });

  it('drops an answer over 256 KB, announced or streamed', async () => {
    await expect(crmLookup(settings({ urlTemplate: `${crm.origin}/big?n=!01`, namePath: 'name' }), facts('1'))).rejects.toThrow(/larger than 262144 bytes/);
    await expect(crmLookup(settings({ urlTemplate: `${crm.origin}/big-chunked?n=!01`, namePath: 'name' }), facts('1'))).rejects.toThrow(/larger than 262144 bytes/);
  });

  it('drops an answer that is not JSON', async () => {
    await expect(crmLookup(settings({ urlTemplate: `${crm.origin}/notjson?n=!01` }), facts('1'))).rejects.toThrow(/not JSON \(text\/html\)/);
  });

  it('gives up on a slow CRM after the timeout', async () => {
    const started = Date.now();
    await expect(crmLookup(settings({ urlTemplate: `${crm.origin}/slow?n=!01` }), facts('1'))).rejects.toThrow(`no answer within ${CRM_TIMEOUT_MS} ms`);
    expect(Date.now() - started).toBeGreaterThanOrEqual(CRM_TIMEOUT_MS - 50);
  });

  it('encodes a hostile caller id into the query and never into the host', async () => {
    const seen = crm.nextRequest('/lookup');
    // The host's number whitelist empties a non-number; a name-like value would be encoded.
    await crmLookup(settings({ urlTemplate: `${crm.origin}/lookup?n=!01` }), facts('0212&x=1#'));
    expect((await seen).query).toEqual({ n: '' });
    expect(() => settings({ urlTemplate: 'https://!01.example/x' })).not.toThrow();
    await expect(crmLookup(settings({ urlTemplate: 'https://!01.example/x' }), facts('1'))).rejects.toThrow(/bad lookup URL: a placeholder in the host part/);
  });

  it('reads answers totally', () => {
    const s = settings({ namePath: 'a[0].n', companyPath: '', linkPath: '' });
    expect(readCrmAnswer(s, { status: 200, contentType: '', body: '{"a":[{"n":42}]}' })).toEqual({ name: '42', source: 'crm' });
    expect(readCrmAnswer(s, { status: 200, contentType: '', body: '{"a":[{"n":{"x":1}}]}' })).toBeUndefined();
    expect(readCrmAnswer(settings({ namePath: '__proto__.polluted' }), { status: 200, contentType: '', body: '{"__proto__":{"polluted":"x"}}' })).toBeUndefined();
    expect(() => readCrmAnswer(s, { status: 500, contentType: '', body: '' })).toThrow('HTTP 500');
  });
});
