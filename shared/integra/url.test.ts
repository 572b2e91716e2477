import { describe, expect, it } from 'vitest';
import type { PlaceholderValues } from './placeholders';
import { buildUrl, UrlRuleError, urlTemplateProblem } from './url';

const v = (over: Partial<PlaceholderValues> = {}): PlaceholderValues => ({
  '00': '1001', '01': '0261616161', '02': 'CALL_IN', '03': '', '04': '26/11/2026_14.03.09', '05': 'id-1', '06': '', '07': '', '08': '', '09': '', ...over,
});

describe('URL rules', () => {
  it('encodes every value with encodeURIComponent', () => {
    expect(buildUrl('https://crm.example/find?n=!01&id=!05&t=!04', v())).toBe('https://crm.example/find?n=0261616161&id=id-1&t=26%2F11%2F2026_14.03.09');
    expect(buildUrl('https://crm.example/p/!01?x=!08', v({ '01': '+39 02', '08': 'a&b=c#d/e?f' }))).toBe('https://crm.example/p/%2B39%2002?x=a%26b%3Dc%23d%2Fe%3Ff');
  });
  it('a value cannot change the host, the path structure or add parameters', () => {
    const url = new URL(buildUrl('http://crm.example:8080/x?n=!01', v({ '01': '@evil.example/../?a=1&b=2#' })));
    expect(url.host).toBe('crm.example:8080');
    expect(url.pathname).toBe('/x');
    expect([...url.searchParams.keys()]).toEqual(['n']);
    expect(url.searchParams.get('n')).toBe('@evil.example/../?a=1&b=2#');
  });
  it('lone surrogates are replaced rather than throwing', () => {
    expect(buildUrl('https://crm.example/?n=!01', v({ '01': 'a\uD800b' }))).toBe('https://crm.example/?n=a%EF%BF%BDb');
  });
  it('refuses a placeholder anywhere in the host part, with a clear message', () => {
    for (const t of ['https://!01.crm.example/', 'https://crm.example:!01/', 'https://!01@crm.example/', 'http://crm!05/x']) {
      expect(urlTemplateProblem(t), t).toMatch(/placeholder in the host part/);
      expect(() => buildUrl(t, v())).toThrow(UrlRuleError);
    }
  });
  it('allows http and https only', () => {
    for (const t of ['javascript:alert(1)//!01', 'file:///etc/passwd?!01', 'ftp://x/!01', 'chrome://settings', '//crm.example/?n=!01']) {
      expect(urlTemplateProblem(t), t).toMatch(/http:\/\/ or https:\/\//);
    }
    expect(urlTemplateProblem('HTTPS://crm.example/?n=!01')).toBeUndefined();
  });
});

describe('URL rules against hostile values', () => {
  it('every hostile caller id lands, encoded, in its own query parameter on the template host', async () => {
    const { hostileCallerIds } = await import('../../tests/fixtures/integra-hostile');
    const ids = hostileCallerIds((i) => `/tmp/integra-canary-${i}`);
    expect(ids.length).toBeGreaterThanOrEqual(200);
    for (const id of ids) {
      const url = new URL(buildUrl('https://crm.example:8443/find?n=!01&id=!05', v({ '01': id })));
      expect(url.origin).toBe('https://crm.example:8443');
      expect(url.pathname).toBe('/find');
      expect([...url.searchParams.keys()]).toEqual(['n', 'id']);
      expect(url.searchParams.get('n')).toBe((id as unknown as { toWellFormed(): string }).toWellFormed());
    }
  });
});
