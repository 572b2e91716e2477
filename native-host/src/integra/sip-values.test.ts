import { describe, expect, it } from 'vitest';
import { inviteValues, serverOffset, splitHeaderList } from './sip-values';
import { userOf } from '../sip/sip-uri';

describe('SIP values for Integra', () => {
  it('reads the user of name-addrs, addr-specs and tel: URIs, percent-decoded', () => {
    expect(userOf('"Mario, Rossi <x>" <sip:0261616161@pbx.example;user=phone>;tag=1')).toBe('0261616161');
    expect(userOf('sip:%2B390261616161@pbx;tag=x')).toBe('+390261616161');
    expect(userOf('<tel:+39-02-6161;phone-context=x>')).toBe('+39-02-6161');
    expect(userOf('<sip:pbx.example>')).toBe('');
    expect(userOf('<sip:%zz@pbx>')).toBe('%zz');
  });
  it('splits header lists at commas outside quotes and brackets', () => {
    expect(splitHeaderList('<sip:a@h?x=1,2>;index=1, "b, c" <sip:b@h>;index=1.1')).toEqual(['<sip:a@h?x=1,2>;index=1', '"b, c" <sip:b@h>;index=1.1']);
  });
  it('Diversion: forwarded; !07 is the number first called (the bottom entry)', () => {
    const v = inviteValues({
      To: ['<sip:1001@pbx>'],
      Diversion: ['<sip:0288888888@pbx>;reason=no-answer', '<sip:0299999999@pbx>;reason=unconditional'],
    });
    expect(v).toEqual({ forwarded: true, did: '1001', assertedCaller: '', originalCalled: '0299999999' });
    expect(inviteValues({ Diversion: ['<sip:0288@pbx>;reason=busy, <sip:0277@pbx>;reason=user-busy'] }).originalCalled).toBe('0277');
  });
  it('History-Info: the lowest index is the original target; one entry alone is no forward', () => {
    const v = inviteValues({ To: ['<sip:1001@pbx>'], 'History-Info': ['<sip:1001@pbx;cause=302>;index=1.1', '<sip:0299999999@pbx>;index=1'] });
    expect(v).toMatchObject({ forwarded: true, originalCalled: '0299999999' });
    expect(inviteValues({ To: ['<sip:1001@pbx>'], 'History-Info': ['<sip:1001@pbx>;index=1'] })).toMatchObject({ forwarded: false, originalCalled: '1001' });
  });
  it('P-Asserted-Identity gives the real caller; P-Called-Party-ID the DID, else To', () => {
    const v = inviteValues({ To: ['<sip:1001@pbx>'], 'P-Asserted-Identity': ['"IVR" <sip:0261616161@pbx>', '<tel:+390261616161>'], 'P-Called-Party-ID': ['<sip:0299999999@pbx>'] });
    expect(v).toMatchObject({ assertedCaller: '0261616161', did: '0299999999', originalCalled: '1001', forwarded: false });
  });
  it('server offset from the Date header', () => {
    const receivedAt = Date.UTC(2026, 0, 1, 12, 0, 5, 300);
    expect(serverOffset({ id: 'c', message: 'invite', receivedAt, headers: { Date: ['Thu, 01 Jan 2026 12:00:00 GMT'] } })).toBe(-5300);
    expect(serverOffset({ id: 'c', message: 'invite', receivedAt, headers: { Date: ['garbage'] } })).toBeUndefined();
  });
});
