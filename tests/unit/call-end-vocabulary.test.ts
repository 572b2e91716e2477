import { describe, expect, it } from 'vitest';
import { call as protocol, describeFailure, type CallInfo } from '../../shared/protocol';
import { isMissed as popupSaysMissed } from '../../extension/lib/call-text';
import { classify } from '../../native-host/src/history/classify';
import { callEnd, endReasonOf } from '../../native-host/src/sip/end-reason';

/** Every way JsSIP or the host ends a call that the call manager has seen or produces. */
const ENDS: [originator: 'local' | 'remote' | 'system', cause: string, code?: number][] = [
  ['remote', 'Canceled'],
  ['remote', 'Canceled', 487],
  ['system', 'Canceled'],
  ['local', 'Canceled'],
  ['system', 'No Answer'],
  ['local', 'No Answer'],
  ['system', 'Expires'],
  ['remote', 'Terminated'],
  ['remote', 'BYE'],
  ['local', 'Terminated'],
  ['local', 'Rejected'],
  ['local', 'Rejected', 603],
  ['local', 'Busy', 486],
  ['local', 'Do Not Disturb', 486],
  ['system', 'Connection Error'],
  ['system', 'Request Timeout'],
  ['system', 'No Microphone'],
  ['system', 'No Browser'],
  ['system', 'RTP Timeout'],
  ['remote', 'Unavailable', 480],
];

function ended(direction: 'in' | 'out', end: CallInfo['end']): CallInfo {
  return { id: 'c1', direction, state: 'ended', remote: { number: '2001', uri: 'sip:2001@x' }, muted: false, onHold: false, remoteHold: false, startedAt: 0, endedAt: 1, end };
}

describe('one vocabulary for how a call ended (issue 14)', () => {
  it.each(ENDS)('"missed" is decided once: the history files an incoming %s/%s/%s as missed exactly when the popup says missed', (o, cause, code) => {
    const call = ended('in', callEnd(o, cause, code));
    expect(classify(call) === 'missed').toBe(popupSaysMissed(call));
  });

  it('every reason is one of the closed enum, whatever JsSIP says (total)', () => {
    const reasons = new Set(protocol.callEndReasonSchema.options);
    for (const cause of ['', 'BYE', '__proto__', 'constructor', 'x'.repeat(300), 'SIP Failure Code']) {
      for (const code of [undefined, 0, 200, 486, 699, 1e9]) expect(reasons.has(endReasonOf(cause, code))).toBe(true);
    }
    expect(callEnd('remote', 'y'.repeat(300)).cause).toHaveLength(64);
  });

  it.each([
    ['Busy', 486, 'busy'],
    ['Rejected', 603, 'declined'],
    ['Rejected', 403, 'declined'],
    ['Unavailable', 480, 'no-answer'],
    ['Unavailable', 410, 'unavailable'],
    ['Not Found', 404, 'not-found'],
    ['Incompatible SDP', undefined, 'no-codec'],
    ['SIP Failure Code', 488, 'no-codec'],
    ['Connection Error', undefined, 'network'],
    ['Canceled', undefined, 'canceled'],
    ['BYE', undefined, 'hung-up'],
    ['No Microphone', undefined, 'no-microphone'],
    ['User Denied Media Access', undefined, 'microphone-denied'],
    ['Do Not Disturb', 486, 'dnd'],
    ['SIP Failure Code', 500, 'failed'],
  ] as const)('JsSIP %s with status %s reads as %s', (cause, code, reason) => expect(endReasonOf(cause, code)).toBe(reason));

  it('the CLI sentence comes from the reason and the status, never from JsSIP words', () => {
    expect(describeFailure({ reason: 'no-microphone' })).toBe('no microphone was found');
    expect(describeFailure({ reason: 'failed', code: 500 })).toBe('the PBX refused it: SIP 500 (failed)');
    expect(describeFailure({ reason: 'not-found', code: 404 })).toBe('the PBX refused it: SIP 404 (number not found)');
    expect(describeFailure({ reason: 'network' })).toBe('the connection to the PBX failed');
  });
});
