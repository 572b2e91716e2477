import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { ErrorCode, ProtocolError } from '../../../shared/protocol';
import { CallManager } from './call-manager';
import { testCallManagerDeps } from './testing/call-manager-deps';

/** The slice of a JsSIP RTCSession the call manager uses, driven by the test. */
class FakeSession extends EventEmitter {
  readonly id = 'sess';
  readonly remote_identity = { uri: { user: '2001', toString: () => 'sip:2001@sandbox' }, display_name: '' };
  connection: { failure?: string } | undefined = {};
  established = false;
  ended = false;
  refer = vi.fn((_uri: string, opts: { eventHandlers: Record<string, (e?: unknown) => void> }) => (this.referHandlers = opts.eventHandlers));
  referHandlers: Record<string, (e?: unknown) => void> = {};
  isEstablished() {
    return this.established;
  }
  isEnded() {
    return this.ended;
  }
  terminate() {
    this.ended = true;
    this.emit('ended', { originator: 'local', cause: 'Terminated' });
  }
}

function setup() {
  const ua = new EventEmitter() as EventEmitter & { call: (uri: string) => FakeSession };
  let n = 0;
  const sessions: FakeSession[] = [];
  ua.call = () => {
    const s = new FakeSession();
    sessions.push(s);
    ua.emit('newRTCSession', { originator: 'local', session: s, request: { call_id: `call-${++n}` } });
    return s;
  };
  const calls = new CallManager(
    testCallManagerDeps({
      ua: () => ua as never,
      isRegistered: () => true,
      aor: () => 'sip:1001@sandbox',
    }),
  );
  calls.attach(ua as never);
  return { calls, sessions };
}

const code = (p: Promise<unknown>) => p.then(() => 'resolved', (e: ProtocolError) => `${e.code}: ${e.message}`);

describe('calls report what really started (issue 12.4, 12.7)', () => {
  it('place() resolves when the INVITE is sent, not before', async () => {
    const { calls, sessions } = setup();
    let done = false;
    const placed = calls.place({ number: '2001', source: 'cli' }).then((c) => ((done = true), c));
    await Promise.resolve();
    expect(done).toBe(false);
    sessions[0]!.emit('sending', {});
    await expect(placed).resolves.toMatchObject({ state: 'dialing', remote: { number: '2001' } });
  });

  it('place() rejects with the media reason when the browser failed before the INVITE (JsSIP says Canceled)', async () => {
    const { calls, sessions } = setup();
    const placed = calls.place({ number: '2001', source: 'cli' });
    sessions[0]!.connection = { failure: 'No Microphone' };
    sessions[0]!.emit('failed', { originator: 'local', cause: 'Canceled' });
    const err = await placed.catch((e: ProtocolError) => e);
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe(ErrorCode.CALL_FAILED);
    expect((err as ProtocolError).message).toBe('the call to 2001 did not start: no microphone was found');
    expect((err as ProtocolError).data).toEqual({ end: { originator: 'system', reason: 'no-microphone', cause: 'No Microphone' } });
  });

  it('a failure JsSIP reports with a text instead of a SIP message (answer() failed locally) still ends the call', async () => {
    const { calls, sessions } = setup();
    const placed = calls.place({ number: '2001', source: 'cli' });
    sessions[0]!.emit('sending', {});
    const call = await placed;
    const seen: string[] = [];
    calls.onChange((c) => c.id === call.id && seen.push(c.state));
    calls.onSipFacts(() => undefined);
    expect(() => sessions[0]!.emit('failed', { originator: 'system', message: '_createLocalDescription() failed', cause: 'Internal Error' })).not.toThrow();
    expect(seen).toEqual(['ended']);
    expect(calls.list().find((c) => c.id === call.id)).toBeUndefined();
  });

  async function activeCall() {
    const { calls, sessions } = setup();
    const placed = calls.place({ number: '2001', source: 'cli' });
    const s = sessions[0]!;
    s.emit('sending', {});
    await placed;
    s.established = true;
    s.emit('accepted', {});
    return { calls, s };
  }

  it('transfer: a NOTIFY with a final failure (407, 486, as text or number) rejects with that status', async () => {
    for (const status of [407, '486']) {
      const { calls, s } = await activeCall();
      const t = code(calls.transfer('3001'));
      s.referHandlers.requestSucceeded!({});
      s.referHandlers.trying?.({ status_line: { status_code: 100 } });
      s.referHandlers.failed!({ status_line: { status_code: status } });
      expect(await t).toBe(`${ErrorCode.CALL_FAILED}: the transfer to 3001 failed: SIP ${status}`);
      expect(s.ended).toBe(false);
    }
  });

  it('transfer: a refused REFER rejects; ringing or answered resolves (and the answered one ends our leg)', async () => {
    const a = await activeCall();
    const refused = code(a.calls.transfer('3001'));
    a.s.referHandlers.requestFailed!({ response: { status_code: 403 }, cause: 'Rejected' });
    expect(await refused).toBe(`${ErrorCode.CALL_FAILED}: the transfer to 3001 failed: SIP 403`);

    const b = await activeCall();
    const ringing = code(b.calls.transfer('3001'));
    b.s.referHandlers.requestSucceeded!({});
    b.s.referHandlers.progress!({ status_line: { status_code: 180 } });
    expect(await ringing).toBe('resolved');

    const c = await activeCall();
    const answered = code(c.calls.transfer('3001'));
    c.s.referHandlers.accepted!({ status_line: { status_code: 200 } });
    expect(await answered).toBe('resolved');
    expect(c.s.ended).toBe(true);
  });

  it('transfer: accepted and silent counts as under way after 6 s; never accepted fails', async () => {
    vi.useFakeTimers();
    try {
      const a = await activeCall();
      const silent = code(a.calls.transfer('3001'));
      a.s.referHandlers.requestSucceeded!({});
      await vi.advanceTimersByTimeAsync(6000);
      expect(await silent).toBe('resolved');
      const b = await activeCall();
      const unanswered = code(b.calls.transfer('3001'));
      await vi.advanceTimersByTimeAsync(6000);
      expect(await unanswered).toBe(`${ErrorCode.CALL_FAILED}: the transfer to 3001 failed: the far end did not answer the REFER`);
    } finally {
      vi.useRealTimers();
    }
  });
});
