import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callCard, clickInCall, startCallRig, type CallRig } from '../support/call-rig';
import { KamailioLog } from '../fixtures/numbers-e2e-helpers';
import { callerOptions } from '../fixtures/refer-refusing-caller';
import { slowReinviteCaller } from '../fixtures/slow-reinvite-caller';

const card = (id: string) => `[data-testid=call][data-call-id="${id}"]`;

/**
 * Hold, then Resume before the far end has answered the hold re-INVITE (built extension in
 * Chromium, real host, sandbox Kamailio + rtpengine, a sipp caller that takes 3 s to answer the
 * hold). JsSIP refuses a second offer while one is in flight; the Resume used to be refused and the
 * call stayed on hold. Now it is sent as soon as the first completes.
 */
describe('Resume pressed while the hold re-INVITE is unanswered, in Chromium', { timeout: 90_000 }, () => {
  let rig: CallRig;

  beforeAll(async () => {
    rig = await startCallRig('hold-race');
  }, 60_000);
  afterAll(async () => {
    await rig?.close();
  });

  it('is sent once the hold completes: the call ends up active and the caller saw hold then resume', async () => {
    const caller = slowReinviteCaller(
      await callerOptions(rig, '1002', '1001'),
      3000,
    );
    const id = await callCard(rig.popup, 'ringing-in');
    await clickInCall(rig.popup, id, 'call-answer');
    await rig.popup.waitForSelector(`${card(id)}[data-state=active]`);
    const klog = new KamailioLog(rig.home);
    await klog.mark();
    await clickInCall(rig.popup, id, 'call-hold');
    // Shown held as soon as the re-INVITE is sent; the caller answers it only 3 s later.
    await rig.popup.waitForSelector(`${card(id)}[data-state=held]`);
    await clickInCall(rig.popup, id, 'call-hold');
    await rig.popup.waitForSelector(`${card(id)}[data-state=active]`, { timeout: 20_000 });
    // Shown active when the resume is sent: hang up once the caller answered it, or the BYE may
    // overtake the re-INVITE between Kamailio's workers on a busy machine.
    await klog.waitFor(/RPL 200 INVITE from udp:/, 2);
    await clickInCall(rig.popup, id, 'call-hangup');
    await rig.popup.waitForSelector(`${card(id)}[data-state=ended]`);
    // sipp exits 0 only if it got the hold re-INVITE, then the resume re-INVITE, then the BYE.
    const done = await caller;
    expect(done.code, done.out.slice(-1500)).toBe(0);
  });
});
