import { describe, expect, it } from 'vitest';
import type { CallInfo } from '../../../shared/protocol';
import type { SipFacts } from '../sip/sip-facts';
import { EventDeriver } from './event-deriver';
import { callEnd } from '../sip/end-reason';

const base = (over: Partial<CallInfo> = {}): CallInfo => ({
  id: 'c1',
  direction: 'in',
  state: 'ringing-in',
  remote: { number: '0261616161', uri: 'sip:0261616161@pbx' },
  muted: false,
  onHold: false,
  remoteHold: false,
  startedAt: 1000,
  ...over,
});

function rig(now = () => Date.UTC(2026, 10, 26, 10, 0, 0)) {
  const d = new EventDeriver(() => '1001', now);
  const names = (info: CallInfo) => d.change(info).map((e) => e.facts.event);
  return { d, names };
}

describe('Integra events from calls', () => {
  it('incoming answered and hung up: CALL_IN, CALL_ACCEPT, CALL_CLOSE', () => {
    const { names } = rig();
    expect(names(base())).toEqual(['CALL_IN']);
    expect(names(base({ state: 'active', answeredAt: 2000 }))).toEqual(['CALL_ACCEPT']);
    expect(names(base({ state: 'active', answeredAt: 2000, muted: true }))).toEqual([]);
    expect(names(base({ state: 'ended', answeredAt: 2000, end: callEnd('remote', 'BYE') }))).toEqual(['CALL_CLOSE']);
  });
  it('!09 is the best name known when the event fires: the PBX display name, then the looked-up one', () => {
    const { d } = rig();
    const ringing = base({ remote: { number: '0261616161', name: 'PBX Name', uri: 'sip:0261616161@pbx' } });
    expect(d.change(ringing)[0]!.facts.callerName).toBe('PBX Name');
    const named = { ...ringing, contact: { name: 'Mario Rossi', source: 'ldap' as const } };
    expect(d.change(named)).toEqual([]);
    expect(d.change({ ...named, state: 'active', answeredAt: 2000 })[0]!.facts).toMatchObject({ event: 'CALL_ACCEPT', callerName: 'Mario Rossi' });
  });
  it('a forwarded call raises CALL_IN and CALL_FORWARD_IN with !06/!07 from the headers', () => {
    const { d } = rig();
    const facts: SipFacts = {
      id: 'c1',
      message: 'invite',
      receivedAt: 0,
      headers: { To: ['<sip:1001@pbx>'], Diversion: ['<sip:0299999999@pbx>;reason=unconditional'], 'P-Asserted-Identity': ['<sip:0255555555@pbx>'] },
    };
    d.facts(facts);
    const events = d.change(base());
    expect(events.map((e) => e.facts.event)).toEqual(['CALL_IN', 'CALL_FORWARD_IN']);
    expect(events[1]!.facts).toMatchObject({ originalCaller: '0255555555', originalCalled: '0299999999', remoteNumber: '0261616161', didNumber: '1001', ownExtension: '1001' });
  });
  it('outgoing busy: CALL_OUT, then CALL_BUSY and CALL_CLOSE for 486, 600 and 603', () => {
    for (const code of [486, 600, 603]) {
      const { names } = rig();
      const out = base({ id: `o${code}`, direction: 'out', state: 'dialing' });
      expect(names(out)).toEqual(['CALL_OUT']);
      expect(names({ ...out, state: 'ended', end: callEnd('remote', 'Busy', code) })).toEqual(['CALL_BUSY', 'CALL_CLOSE']);
    }
    const { names } = rig();
    const out = base({ id: 'o404', direction: 'out', state: 'dialing' });
    names(out);
    expect(names({ ...out, state: 'ended', end: callEnd('remote', 'Not Found', 404) })).toEqual(['CALL_CLOSE']);
  });
  it('an incoming call turned down as busy (486) is CALL_BUSY; declined (603) is not; do-not-disturb is busy only', () => {
    const a = rig();
    a.names(base());
    expect(a.names(base({ state: 'ended', end: callEnd('local', 'Rejected', 486) }))).toEqual(['CALL_BUSY', 'CALL_CLOSE']);
    const b = rig();
    b.names(base());
    expect(b.names(base({ state: 'ended', end: callEnd('local', 'Rejected', 603) }))).toEqual(['CALL_CLOSE']);
    const d = rig();
    d.names(base({ id: 'hung' }));
    d.d.facts({ id: 'hung', message: 'local', status: 486, receivedAt: 0, headers: {} });
    expect(d.names(base({ id: 'hung', state: 'ended', end: callEnd('local', 'Rejected') }))).toEqual(['CALL_BUSY', 'CALL_CLOSE']);
    const e = rig();
    e.names(base({ id: 'dec' }));
    e.d.facts({ id: 'dec', message: 'local', status: 603, receivedAt: 0, headers: {} });
    expect(e.names(base({ id: 'dec', state: 'ended', end: callEnd('local', 'Rejected') }))).toEqual(['CALL_CLOSE']);
    const c = rig();
    expect(c.names(base({ state: 'ended', endedAt: 1000, end: callEnd('local', 'Do Not Disturb', 486) }))).toEqual(['CALL_BUSY']);
  });
  it('CALL_ACTIVE: a held call resumed, and a waiting call answered while another is live', () => {
    const { names } = rig();
    const first = base({ id: 'a', direction: 'out', state: 'dialing' });
    names(first);
    expect(names({ ...first, state: 'active', answeredAt: 1 })).toEqual(['CALL_ACCEPT']);
    const second = base({ id: 'b' });
    expect(names(second)).toEqual(['CALL_IN']);
    expect(names({ ...first, state: 'held', onHold: true, answeredAt: 1 })).toEqual([]);
    expect(names({ ...second, state: 'active', answeredAt: 2 })).toEqual(['CALL_ACCEPT', 'CALL_ACTIVE']);
    expect(names({ ...second, state: 'ended', answeredAt: 2, end: callEnd('local', 'BYE') })).toEqual(['CALL_CLOSE']);
    expect(names({ ...first, state: 'active', onHold: false, answeredAt: 1 })).toEqual(['CALL_ACTIVE']);
  });
  it('!04 follows the PBX clock from the Date header', () => {
    let t = Date.UTC(2026, 10, 26, 10, 0, 0, 500);
    const { d } = rig(() => t);
    d.facts({ id: 'c1', message: 'invite', receivedAt: t, headers: { Date: ['Sat, 03 Feb 2001 04:05:06 GMT'] } });
    const [ev] = d.change(base());
    expect(ev!.facts.time).toBe(Date.UTC(2001, 1, 3, 4, 5, 6));
    t += 10_000;
    const [accept] = d.change(base({ state: 'active', answeredAt: t }));
    expect(accept!.facts.time).toBe(Date.UTC(2001, 1, 3, 4, 5, 16));
  });
});
