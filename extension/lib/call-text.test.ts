import { describe, expect, it } from 'vitest';
import type { CallInfo } from '../../shared/protocol';
import { callStateText, endCauseText, endReason, failureReason, formatDuration, isMissed, remoteLabel, remoteParty, talkTime } from './call-text';
import { mockCall } from './mock-connector';
import { callEnd } from '../../native-host/src/sip/end-reason';

const ended = (end: CallInfo['end'], over: Partial<CallInfo> = {}) => mockCall({ direction: 'out', state: 'ended', end, ...over });

describe('formatDuration', () => {
  it.each([
    [0, '00:00'],
    [999, '00:00'],
    [1000, '00:01'],
    [59_999, '00:59'],
    [60_000, '01:00'],
    [3_599_000, '59:59'],
    [3_600_000, '1:00:00'],
    [3_723_000, '1:02:03'],
    [-5000, '00:00'],
  ])('%i ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});

describe('talkTime', () => {
  it('is undefined before the answer', () => expect(talkTime(mockCall({ state: 'dialing' }), 5000)).toBeUndefined());
  it('runs from answeredAt while the call lives', () => expect(talkTime(mockCall({ state: 'active', answeredAt: 1000 }), 4500)).toBe(3500));
  it('stops at endedAt', () =>
    expect(talkTime(mockCall({ state: 'ended', answeredAt: 1000, endedAt: 2000, end: callEnd('local', 'Terminated') }), 9000)).toBe(1000));
});

describe('callStateText', () => {
  it.each([
    ['ringing-in', 'callStateRingingIn'],
    ['dialing', 'callStateDialing'],
    ['ringing-out', 'callStateRingingOut'],
    ['active', 'callStateActive'],
    ['held', 'callStateHeld'],
    ['ended', 'callStateEnded'],
  ] as const)('%s → %s', (state, key) => expect(callStateText(mockCall({ state })).key).toBe(key));
});

describe('endReason', () => {
  it('is undefined while the call lives, or when the host gave no reason', () => {
    expect(endReason(mockCall({ state: 'active' }))).toBeUndefined();
    expect(endReason(mockCall({ state: 'ended' }))).toBeUndefined();
  });

  it.each([
    [callEnd('remote', 'Busy', 486), 'endBusy'],
    [callEnd('remote', 'Busy', 600), 'endBusy'],
    [callEnd('remote', 'Busy'), 'endBusy'],
    [callEnd('remote', 'Rejected', 603), 'endDeclined'],
    [callEnd('remote', 'Rejected', 403), 'endDeclined'],
    [callEnd('remote', 'Not Found', 404), 'endNotFound'],
    [callEnd('remote', 'Not Found', 604), 'endNotFound'],
    // What a PBX answers when nobody picks up; JsSIP calls it "Unavailable".
    [callEnd('remote', 'Unavailable', 480), 'endNoAnswer'],
    [callEnd('remote', 'Unavailable', 408), 'endNoAnswer'],
    [callEnd('remote', 'Unavailable', 410), 'endUnavailable'],
    [callEnd('remote', 'Address Incomplete', 484), 'endIncomplete'],
    [callEnd('remote', 'Redirected', 302), 'endRedirected'],
    [callEnd('local', 'User Denied Media Access'), 'endMicDenied'],
    [callEnd('remote', 'Authentication Error', 401), 'endAuth'],
    [callEnd('local', 'Canceled'), 'endCanceled'],
    [callEnd('system', 'No Answer'), 'endNoAnswer'],
    [callEnd('local', 'Terminated'), 'endHungUpLocal'],
    [callEnd('remote', 'Terminated'), 'endHungUpRemote'],
    [callEnd('remote', 'BYE'), 'endHungUpRemote'],
  ] as const)('an outgoing call ending with %o → %s', (end, key) => {
    expect(endReason(ended(end))).toEqual({ key });
  });

  it('technical failures say "failed" with the SIP code, else only "failed" (JsSIP\'s words never reach the popup)', () => {
    expect(endReason(ended(callEnd('remote', 'SIP Failure Code', 500)))).toEqual({ key: 'endFailed', subs: ['SIP 500'] });
    expect(endReason(ended(callEnd('system', 'RTP Timeout')))).toEqual({ key: 'endFailedPlain' });
    expect(endReason(ended(callEnd('system', 'Connection\u0000 Error')))).toEqual({ key: 'endFailedPlain' });
  });

  it('a call whose audio could not start says why, and counts as failed (issue 12.7)', () => {
    expect(endReason(ended(callEnd('system', 'No Microphone')))).toEqual({ key: 'endNoMic' });
    expect(endReason(ended(callEnd('system', 'No Browser')))).toEqual({ key: 'endNoBrowser' });
    expect(endReason(ended(callEnd('system', 'User Denied Media Access')))).toEqual({ key: 'endMicDenied' });
    expect(endReason(ended(callEnd('system', 'Microphone Busy')))).toEqual({ key: 'endMicBusy' });
    expect(endReason(ended(callEnd('system', 'Media Error')))).toEqual({ key: 'endMediaFailed' });
    expect(endReason(ended(callEnd('remote', 'Incompatible SDP', 488)))).toEqual({ key: 'endNoCodec' });
    expect(endReason(ended(callEnd('system', 'Connection Error')))).toEqual({ key: 'endNetwork' });
    expect(failureReason(ended(callEnd('system', 'No Microphone')))).toEqual({ key: 'endNoMic' });
    expect(failureReason(ended(callEnd('remote', 'SIP Failure Code', 403)))).toEqual({ key: 'endFailed', subs: ['SIP 403'] });
    // Not failures: busy, declined, hung up, cancelled by us.
    expect(failureReason(ended(callEnd('remote', 'Busy', 486)))).toBeUndefined();
    expect(failureReason(ended(callEnd('remote', 'Rejected', 603)))).toBeUndefined();
    expect(failureReason(ended(callEnd('local', 'Canceled')))).toBeUndefined();
    expect(endCauseText({ reason: 'no-microphone' })).toEqual({ key: 'endNoMic' });
  });

  it('an incoming call the caller gave up on is missed; one we declined is declined', () => {
    const incoming = { direction: 'in' as const };
    expect(endReason(ended(callEnd('remote', 'Canceled'), incoming))).toEqual({ key: 'endMissed' });
    expect(endReason(ended(callEnd('system', 'No Answer'), incoming))).toEqual({ key: 'endMissed' });
    expect(endReason(ended(callEnd('local', 'Rejected', 603), incoming))).toEqual({ key: 'endDeclined' });
    expect(endReason(ended(callEnd('remote', 'Terminated'), { ...incoming, answeredAt: 1 }))).toEqual({ key: 'endHungUpRemote' });
  });
});

describe('isMissed', () => {
  const base = { direction: 'in' as const, state: 'ended' as const };
  it.each([
    [{ ...base, end: callEnd('remote', 'Canceled') }, true],
    [{ ...base, end: callEnd('system', 'No Answer') }, true],
    [{ ...base, end: callEnd('remote', 'Terminated') }, true],
    [{ ...base, end: callEnd('local', 'Rejected') }, false],
    [{ ...base, end: callEnd('system', 'Connection Error') }, false],
    [{ ...base, answeredAt: 5, end: callEnd('remote', 'Terminated') }, false],
    [{ ...base, direction: 'out' as const, end: callEnd('remote', 'Canceled') }, false],
    [{ ...base, state: 'ringing-in' as const }, false],
  ])('%o → %s', (over, missed) => expect(isMissed(mockCall(over))).toBe(missed));
});

describe('remoteParty', () => {
  it('shows the name and the number, cleaned and capped', () => {
    const call = mockCall({ remote: { number: '0261616161', name: `Mario\u202e Rossi\n${'x'.repeat(100)}`, uri: 'sip:x@y' } });
    const { name, number } = remoteParty(call);
    expect(number).toBe('0261616161');
    expect(name!.startsWith('Mario Rossi xxx')).toBe(true);
    expect([...name!].length).toBe(64);
    expect(name!.endsWith('…')).toBe(true);
  });

  it('drops a name that only repeats the number', () => {
    expect(remoteParty(mockCall({ remote: { number: '101', name: '101', uri: 'sip:101@pbx' } })).name).toBeUndefined();
    expect(remoteLabel(mockCall({ remote: { number: '101', name: ' ', uri: 'sip:101@pbx' } }))).toBe('101');
  });
});
