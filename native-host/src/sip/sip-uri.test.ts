import { describe, expect, it } from 'vitest';
import { isInternal } from '../integra/integra';
import { domainOf, hostPortOf, userOf } from './sip-uri';
import { buildUaConfiguration } from './ua-config';

describe('one userOf/domainOf for the host (issue 14)', () => {
  it.each([
    ['sip:1001@pbx.example', '1001', 'pbx.example', 'pbx.example'],
    ['sip:1001@PBX.Example:5060;transport=ws', '1001', 'pbx.example', 'pbx.example:5060'],
    ['sips:201@[2001:db8::1]:5061', '201', '[2001:db8::1]', '[2001:db8::1]:5061'],
    ['"Mario" <sip:mario@pbx.example>;tag=1', 'mario', 'pbx.example', 'pbx.example'],
    ['sip:%2B39026161@pbx.example', '+39026161', 'pbx.example', 'pbx.example'],
    ['tel:+390261616161', '+390261616161', '', ''],
    ['sip:pbx.example', '', '', ''],
    ['', '', '', ''],
  ])('%s → user %s, domain %s, host %s', (uri, user, domain, hostPort) => {
    expect(userOf(uri)).toBe(user);
    expect(domainOf(uri)).toBe(domain);
    expect(hostPortOf(uri)).toBe(hostPort);
  });

  it('the digest realm of an AOR with a port or parameters is its domain (before: "pbx.example:5060;transport=ws")', () => {
    const config = buildUaConfiguration({ wsUrls: ['wss://pbx.example/ws'], uri: 'sip:1001@pbx.example:5060;transport=ws', ha1: '0'.repeat(32) }, [], '1.0.0');
    expect(config.realm).toBe('pbx.example');
    expect(config.authorization_user).toBe('1001');
  });

  it("Integra's internal test and the account agree on the domain, whatever its case or port", () => {
    const call = { remote: { number: 'mario', uri: 'sip:mario@PBX.example:5060' } } as Parameters<typeof isInternal>[0];
    expect(isInternal(call, '^\\d{1,4}$', domainOf('sip:1001@pbx.example;transport=ws'))).toBe(true);
  });
});
