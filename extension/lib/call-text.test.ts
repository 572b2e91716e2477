import { describe, expect, it } from 'vitest';
import type { CallInfo } from '../../shared/protocol';
import { callStateText, endCauseText, endReason, failureReason, formatDuration, isMissed, remoteLabel, remoteParty, talkTime } from './call-text';
import { mockCall } from './mock-connector';

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
    expect(talkTime(mockCall({ state: 'ended', answeredAt: 1000, endedAt: 2000, end: { originator: 'local', cause: 'Terminated' } }), 9000)).toBe(1000));
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
    [{ originator: 'remote', cause: 'Busy', code: 486 }, 'endBusy'],
    [{ originator: 'remote', cause: 'Busy', code: 600 }, 'endBusy'],
    [{ originator: 'remote', cause: 'Busy' }, 'endBusy'],
    [{ originator: 'remote', cause: 'Rejected', code: 603 }, 'endDeclined'],
    [{ originator: 'remote', cause: 'Rejected', code: 403 }, 'endDeclined'],
    [{ originator: 'remote', cause: 'Not Found', code: 404 }, 'endNotFound'],
    [{ originator: 'remote', cause: 'Not Found', code: 604 }, 'endNotFound'],
    // What a PBX answers when nobody picks up; JsSIP calls it "Unavailable".
    [{ originator: 'remote', cause: 'Unavailable', code: 480 }, 'endNoAnswer'],
    [{ originator: 'remote', cause: 'Unavailable', code: 408 }, 'endNoAnswer'],
    [{ originator: 'remote', cause: 'Unavailable', code: 410 }, 'endUnavailable'],
    [{ originator: 'remote', cause: 'Address Incomplete', code: 484 }, 'endIncomplete'],
    [{ originator: 'remote', cause: 'Redirected', code: 302 }, 'endRedirected'],
    [{ originator: 'local', cause: 'User Denied Media Access' }, 'endMicDenied'],
    [{ originator: 'remote', cause: 'Authentication Error', code: 401 }, 'endAuth'],
    [{ originator: 'local', cause: 'Canceled' }, 'endCanceled'],
    [{ originator: 'system', cause: 'No Answer' }, 'endNoAnswer'],
    [{ originator: 'local', cause: 'Terminated' }, 'endHungUpLocal'],
    [{ originator: 'remote', cause: 'Terminated' }, 'endHungUpRemote'],
    [{ originator: 'remote', cause: 'BYE' }, 'endHungUpRemote'],
  ] as const)('an outgoing call ending with %o → %s', (end, key) => {
    expect(endReason(ended(end))).toEqual({ key });
  });

  it('technical failures say "failed" with the SIP code, else the cause', () => {
    expect(endReason(ended({ originator: 'remote', cause: 'SIP Failure Code', code: 500 }))).toEqual({ key: 'endFailed', subs: ['SIP 500'] });
    expect(endReason(ended({ originator: 'system', cause: 'RTP Timeout' }))).toEqual({ key: 'endFailed', subs: ['RTP Timeout'] });
    expect(endReason(ended({ originator: 'system', cause: 'Connection\u0000 Error' }))).toEqual({ key: 'endFailed', subs: ['Connection Error'] });
  });

  it('a call whose audio could not start says why, and counts as failed (issue 12.7)', () => {
    expect(endReason(ended({ originator: 'system', cause: 'No Microphone' }))).toEqual({ key: 'endNoMic' });
    expect(endReason(ended({ originator: 'system', cause: 'No Browser' }))).toEqual({ key: 'endNoBrowser' });
    expect(endReason(ended({ originator: 'system', cause: 'User Denied Media Access' }))).toEqual({ key: 'endMicDenied' });
    expect(endReason(ended({ originator: 'system', cause: 'Microphone Busy' }))).toEqual({ key: 'endMicBusy' });
    expect(endReason(ended({ originator: 'system', cause: 'Media Error' }))).toEqual({ key: 'endMediaFailed' });
    expect(endReason(ended({ originator: 'remote', cause: 'Incompatible SDP', code: 488 }))).toEqual({ key: 'endNoCodec' });
    expect(endReason(ended({ originator: 'system', cause: 'Connection Error' }))).toEqual({ key: 'endNetwork' });
    expect(failureReason(ended({ originator: 'system', cause: 'No Microphone' }))).toEqual({ key: 'endNoMic' });
    expect(failureReason(ended({ originator: 'remote', cause: 'SIP Failure Code', code: 403 }))).toEqual({ key: 'endFailed', subs: ['SIP 403'] });
    // Not failures: busy, declined, hung up, cancelled by us.
    expect(failureReason(ended({ originator: 'remote', cause: 'Busy', code: 486 }))).toBeUndefined();
    expect(failureReason(ended({ originator: 'remote', cause: 'Rejected', code: 603 }))).toBeUndefined();
    expect(failureReason(ended({ originator: 'local', cause: 'Canceled' }))).toBeUndefined();
    expect(endCauseText({ cause: 'No Microphone' })).toEqual({ key: 'endNoMic' });
  });

  it('an incoming call the caller gave up on is missed; one we declined is declined', () => {
    const incoming = { direction: 'in' as const };
    expect(endReason(ended({ originator: 'remote', cause: 'Canceled' }, incoming))).toEqual({ key: 'endMissed' });
    expect(endReason(ended({ originator: 'system', cause: 'No Answer' }, incoming))).toEqual({ key: 'endMissed' });
    expect(endReason(ended({ originator: 'local', cause: 'Rejected', code: 603 }, incoming))).toEqual({ key: 'endDeclined' });
    expect(endReason(ended({ originator: 'remote', cause: 'Terminated' }, { ...incoming, answeredAt: 1 }))).toEqual({ key: 'endHungUpRemote' });
  });
});

describe('isMissed', () => {
  const base = { direction: 'in' as const, state: 'ended' as const };
  it.each([
    [{ ...base, end: { originator: 'remote' as const, cause: 'Canceled' } }, true],
    [{ ...base, end: { originator: 'system' as const, cause: 'No Answer' } }, true],
    [{ ...base, end: { originator: 'remote' as const, cause: 'Terminated' } }, true],
    [{ ...base, end: { originator: 'local' as const, cause: 'Rejected' } }, false],
    [{ ...base, end: { originator: 'system' as const, cause: 'Connection Error' } }, false],
    [{ ...base, answeredAt: 5, end: { originator: 'remote' as const, cause: 'Terminated' } }, false],
    [{ ...base, direction: 'out' as const, end: { originator: 'remote' as const, cause: 'Canceled' } }, false],
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
