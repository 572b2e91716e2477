import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import JsSIP from 'jssip';
import { describeFailure, type CallInfo } from '../../../shared/protocol';
import { screenPbxOffer } from '../media-gateway/screen-offer';
import { ASTERISK_OFFER } from '../media-gateway/testing/sdp-samples';
import { CallManager } from './call-manager';
import { testCallManagerDeps } from './testing/call-manager-deps';

class FakeSession extends EventEmitter {
  terminated: unknown[] = [];
  readonly remote_identity = new JsSIP.NameAddrHeader(new JsSIP.URI('sip', '0299', 'pbx.test'), undefined);
  terminate(o?: unknown) {
    this.terminated.push(o);
  }
}

function rig(gateway: boolean) {
  const ua = new EventEmitter();
  const changes: CallInfo[] = [];
  const calls = new CallManager(
    testCallManagerDeps({
      screenOffer: (sdp) => (gateway ? screenPbxOffer(sdp) : undefined),
    }),
  );
  calls.onChange((c) => changes.push(c));
  calls.attach(ua as never);
  const invite = (callId: string, body: string | undefined) => {
    const session = new FakeSession();
    ua.emit('newRTCSession', { originator: 'remote', session, request: { call_id: callId, body, getHeaders: () => [] } });
    return session;
  };
  return { changes, invite };
}

const G729_ONLY = ASTERISK_OFFER.replace('RTP/AVP 0 8 3 101', 'RTP/AVP 18').replace(/a=rtpmap:.*\r\n/g, '') + 'a=rtpmap:18 G729/8000\r\n';

describe('media-gateway accounts: an offer with no codec in common is refused before it rings', () => {
  it('488 at once; the call ends as "no audio codec in common" and never rings', () => {
    const r = rig(true);
    const s = r.invite('g1', G729_ONLY);
    expect(s.terminated).toEqual([{ status_code: 488, reason_phrase: 'Not Acceptable Here' }]);
    expect(r.changes.map((c) => c.state)).toEqual(['ended']);
    expect(r.changes[0]!.end).toMatchObject({ originator: 'local', reason: 'no-codec', code: 488 });
    expect(describeFailure(r.changes[0]!.end!)).toMatch(/codec/);
  });

  it('a playable offer, a late-SDP INVITE, and a WebSocket account ring as before', () => {
    const gw = rig(true);
    gw.invite('g2', ASTERISK_OFFER);
    gw.invite('g3', undefined);
    expect(gw.changes.map((c) => c.state)).toEqual(['ringing-in', 'ringing-in']);
    const ws = rig(false);
    ws.invite('w1', G729_ONLY);
    expect(ws.changes.map((c) => c.state)).toEqual(['ringing-in']);
  });
});
