import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baresipCommand } from '../support/baresip-ctrl';
import { callCard, startCallRig, type CallRig } from '../support/call-rig';
import { waitForBadge } from '../support/badge';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Do not disturb, switched in the popup: the bot's call to 1001 gets 486 Busy Here, nothing rings. */
describe('do not disturb (Chromium)', { timeout: 120_000 }, () => {
  let rig: CallRig;
  const kamailio = () => readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8');
  /** 486 replies to INVITEs that came from the UI's WebSocket connection. */
  const busyFromUi = async () => (await kamailio()).match(/RPL 486 INVITE from ws:/g)?.length ?? 0;

  beforeAll(async () => {
    rig = await startCallRig('dnd');
  });
  afterAll(async () => {
    await rig?.close();
  });

  it('DND on: the call from the bot is answered 486, the badge shows DND, Recent keeps it; DND off: it rings again', async () => {
    const { popup, worker } = rig;
    const ctrl = rig.sandbox.users['2001'].ctrl!;
    await popup.waitForSelector('[data-testid=dnd]');
    await popup.click('[data-testid=dnd]');
    await popup.waitForSelector('[data-testid=dnd-note]');
    await waitForBadge(worker, 'DND');
    const settingsFile = JSON.parse(await readFile(join(rig.home, 'settings.json'), 'utf8')) as { preferences?: { dnd?: boolean } };
    expect(settingsFile.preferences?.dnd).toBe(true);

    const before = await busyFromUi();
    await baresipCommand(ctrl, 'dial', `sip:1001@${rig.sandbox.domain}`);
    const deadline = Date.now() + 10_000;
    while ((await busyFromUi()) === before && Date.now() < deadline) await sleep(100);
    expect(await busyFromUi()).toBe(before + 1);
    // It never rang.
    expect(await popup.$('[data-testid=call][data-state=ringing-in]')).toBeNull();
    await popup.click('[data-testid=tab-recent]');
    await popup.waitForSelector('[data-testid=recent][data-result=busy][data-direction=in]');
    expect(await popup.$eval('[data-testid=recent] [data-testid=recent-result]', (e) => e.textContent)).toBe('Rejected (do not disturb)');
    await baresipCommand(ctrl, 'hangup').catch(() => undefined);

    await popup.click('[data-testid=dnd]');
    await popup.waitForSelector('[data-testid=dnd-note]', { hidden: true });
    await waitForBadge(worker, '');
    await baresipCommand(ctrl, 'dial', `sip:1001@${rig.sandbox.domain}`);
    await callCard(popup, 'ringing-in');
    await baresipCommand(ctrl, 'hangup');
    expect(await busyFromUi()).toBe(before + 1);
  });
});
