import { EventEmitter } from 'node:events';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import JsSIP from 'jssip';
import type { CallInfo } from '../../../shared/protocol';
import { CallManager } from './call-manager';
import { testCallManagerDeps } from './testing/call-manager-deps';

const log = pino({ level: 'silent' });

/** Just what the call manager reads of a JsSIP session before anyone answers. */
class FakeSession extends EventEmitter {
  terminated: unknown[] = [];
  constructor(readonly remote_identity: unknown) {
    super();
  }
  terminate(o?: unknown) {
    this.terminated.push(o);
  }
}

function rig(dnd = false) {
  const ua = new EventEmitter();
  const changes: CallInfo[] = [];
  const calls = new CallManager(
    testCallManagerDeps({
      log,
      dnd: () => dnd,
    }),
  );
  calls.onChange((c) => changes.push(c));
  calls.attach(ua as never);
  const invite = (callId: string, identity: unknown) => {
    const session = new FakeSession(identity);
    ua.emit('newRTCSession', { originator: 'remote', session, request: { call_id: callId, getHeaders: () => [] } });
    return session;
  };
  return { calls, changes, invite };
}

describe('call manager: every incoming call is described, whatever its caller id', () => {
  it("From user '0261616161%PATH%' (JsSIP's real URI): the call rings with that number and a re-escaped URI", () => {
    const r = rig();
    r.invite('c1', new JsSIP.NameAddrHeader(new JsSIP.URI('sip', '0261616161%PATH%', 'pbx.test'), 'Mario'));
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ id: 'c1', state: 'ringing-in', remote: { number: '0261616161%PATH%', name: 'Mario', uri: 'sip:0261616161%25PATH%25@pbx.test' } });
    expect(r.calls.list().map((c) => c.id)).toEqual(['c1']);
  });

  it('a NUL in the user is not trimmed into a clean look-alike number', () => {
    const r = rig();
    r.invite('c2', new JsSIP.NameAddrHeader(new JsSIP.URI('sip', '0261616161\u0000', 'pbx.test'), undefined));
    expect(r.changes[0]!.remote.number).toBe('0261616161\uFFFD');
  });

  it('an identity that cannot be read at all: shown as an unknown caller, not dropped', () => {
    const r = rig();
    const hostile = {
      get display_name(): string {
        throw new URIError('URI malformed');
      },
      uri: {
        get user(): string {
          throw new URIError('URI malformed');
        },
        toString(): string {
          throw new URIError('URI malformed');
        },
      },
    };
    r.invite('c3', hostile);
    expect(r.changes).toHaveLength(1);
    expect(r.changes[0]).toMatchObject({ id: 'c3', state: 'ringing-in', remote: { number: '', uri: '' } });
    expect(r.changes[0]!.remote.name).toBeUndefined();
  });

  it('do-not-disturb: the rejected call is still reported (and so recorded) when its caller id cannot be read', () => {
    const r = rig(true);
    const session = r.invite('c4', { uri: { user: '0261616161%PATH%', toString: () => { throw new URIError('URI malformed'); } } });
    expect(session.terminated).toEqual([{ status_code: 486, reason_phrase: 'Busy Here' }]);
    expect(r.changes).toEqual([expect.objectContaining({ id: 'c4', state: 'ended', remote: { number: '0261616161%PATH%', uri: '' } })]);
  });
});
