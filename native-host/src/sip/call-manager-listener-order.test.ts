import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import JsSIP from 'jssip';
import { CallManager } from './call-manager';
import { testCallManagerDeps } from './testing/call-manager-deps';

class FakeSession extends EventEmitter {
  constructor(readonly remote_identity: unknown) {
    super();
  }
  terminate() {}
}

describe('call manager: who is told of a call change first', () => {
  it('onChangeFirst listeners hear of a ringing call before the ringtone request and the onChange listeners', () => {
    const order: string[] = [];
    const ua = new EventEmitter();
    const calls = new CallManager(
      testCallManagerDeps({
        ring: (on) => order.push(`ring ${on}`),
      }),
    );
    // Registered in the host's order: the call push first, Integra later.
    calls.onChange((c) => order.push(`push ${c.state}`));
    calls.onChangeFirst((c) => {
      order.push(`integra ${c.state}`);
      throw new Error('a failing first listener stops nobody');
    });
    calls.attach(ua as never);
    const identity = new JsSIP.NameAddrHeader(new JsSIP.URI('sip', '0261616161', 'pbx.test'), undefined);
    ua.emit('newRTCSession', { originator: 'remote', session: new FakeSession(identity), request: { call_id: 'c1', getHeaders: () => [] } });
    expect(order).toEqual(['integra ringing-in', 'ring true', 'push ringing-in']);
  });
});
