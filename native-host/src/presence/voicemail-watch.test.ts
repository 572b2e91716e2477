import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import type { VoicemailState } from '../../../shared/protocol/voicemail';
import type { SubscriptionLike } from './colleague-watch';
import { parseMessageSummary, voicemailNumberOf } from './message-summary';
import { VoicemailWatch } from './voicemail-watch';

const log = { child: () => log, info: () => undefined, warn: vi.fn(), debug: () => undefined, error: () => undefined } as never;

describe('message-summary (RFC 3842)', () => {
  it('reads waiting, the counts and the account', () => {
    expect(parseMessageSummary('Messages-Waiting: yes\r\nMessage-Account: sip:*97@pbx\r\nVoice-Message: 2/8 (0/2)\r\n')).toEqual({
      waiting: true,
      newMessages: 2,
      oldMessages: 8,
      account: 'sip:*97@pbx',
    });
    expect(parseMessageSummary('messages-waiting:NO\nVoice-Message: 0/10')).toEqual({ waiting: false, newMessages: 0, oldMessages: 10 });
  });
  it.each([
    ['no Messages-Waiting', 'Voice-Message: 2/8'],
    ['an odd Messages-Waiting', 'Messages-Waiting: maybe'],
    ['too large', `Messages-Waiting: yes\n${'x'.repeat(20_000)}`],
    ['empty', ''],
  ])('refuses %s', (_w, body) => expect(parseMessageSummary(body)).toBeUndefined());
  it('caps counts and drops an account with spaces or brackets', () => {
    const s = parseMessageSummary('Messages-Waiting: yes\nMessage-Account: sip:a b@x\nVoice-Message: 999999999/1');
    expect(s).toEqual({ waiting: true, newMessages: 99_999, oldMessages: 1 });
    expect(parseMessageSummary('Messages-Waiting: yes\nMessage-Account: <sip:x@y>')?.account).toBeUndefined();
  });
  it('the number to call is the account’s user part when it is dialable', () => {
    expect(voicemailNumberOf('sip:*97@pbx')).toBe('*97');
    expect(voicemailNumberOf('sip:voicemail@pbx')).toBeUndefined();
    expect(voicemailNumberOf(undefined)).toBeUndefined();
  });
});

class FakeSub extends EventEmitter implements SubscriptionLike {
  terminated = 0;
  subscribe() {}
  terminate() {
    this.terminated++;
  }
}

describe('VoicemailWatch', () => {
  it('subscribes to our own AOR while registered; a NOTIFY or an unsolicited one updates the state', () => {
    const states: VoicemailState[] = [];
    const w = new VoicemailWatch({ log, onChange: (s) => states.push(s), now: () => 5 });
    const subs: FakeSub[] = [];
    const ua = { subscribe: vi.fn((_t: string, _e: string, _a: string) => (subs.push(new FakeSub()), subs.at(-1)!)) };
    w.setRegistered(ua, 'sip:1001@pbx');
    expect(ua.subscribe).toHaveBeenCalledWith('sip:1001@pbx', 'message-summary', 'application/simple-message-summary', { expires: 3600 });
    subs[0]!.emit('notify', false, {}, 'Messages-Waiting: yes\nVoice-Message: 1/0', 'application/simple-message-summary');
    expect(w.snapshot()).toMatchObject({ known: true, waiting: true, newMessages: 1 });
    w.unsolicited({ event: { event: 'message-summary' }, request: { body: 'Messages-Waiting: yes\r\nMessage-Account: sip:*97@pbx\r\nVoice-Message: 2/8' } });
    expect(w.snapshot()).toEqual({ known: true, waiting: true, newMessages: 2, oldMessages: 8, account: 'sip:*97@pbx', since: 5 });
    w.unsolicited({ event: { event: 'dialog' }, request: { body: 'Messages-Waiting: no' } });
    w.unsolicited({ event: { event: 'message-summary' }, request: { body: 'garbage' } });
    expect(w.snapshot().newMessages).toBe(2);
    w.unsolicited({ event: { event: 'message-summary' }, request: { body: 'Messages-Waiting: no' } });
    expect(w.snapshot()).toMatchObject({ waiting: false, newMessages: 0, account: 'sip:*97@pbx' });
    w.setRegistered(ua, 'sip:1001@pbx');
    expect(subs[0]!.terminated).toBe(1);
    expect(subs).toHaveLength(2);
    w.stop();
  });

  it('a refused subscription is retried while registered', async () => {
    const subs: FakeSub[] = [];
    const ua = { subscribe: () => (subs.push(new FakeSub()), subs.at(-1)!) };
    const w = new VoicemailWatch({ log, onChange: () => undefined, retryDelayMs: () => 5 });
    w.setRegistered(ua, 'sip:1001@pbx');
    subs[0]!.emit('terminated', 2, '489', undefined);
    await vi.waitFor(() => expect(subs).toHaveLength(2));
    w.stop();
  });
});
