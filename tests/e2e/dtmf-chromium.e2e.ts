import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clickInCall, startCallRig, type CallRig } from '../support/call-rig';

/**
 * Keys pressed faster than a tone lasts (a user typing a PIN): each must still be sent once. The
 * host mirrors the browser's DTMF tone buffer for JsSIP, which prepends it to every new key; a
 * mirror that kept a tone until it ENDED (not until it started) sent it again with the next key.
 * The receiver is the sandbox bot (baresip, PCMU), which logs one end event per RFC 4733 event.
 */
describe('DTMF keys pressed in quick succession', { timeout: 60_000 }, () => {
  let rig: CallRig;

  beforeAll(async () => {
    rig = await startCallRig('dtmf');
  });
  afterAll(async () => {
    await rig?.close();
  });

  const botLog = () => readFile(join(rig.home, 'sandbox', 'baresip-2001.log'), 'utf8');
  const events = (text: string) => [...text.matchAll(/received event: '(.)' \(end=1\)/g)].map((m) => m[1]).join('');

  it('1 5 # clicked one right after the other reach the bot as 15#, each once', async () => {
    const before = events(await botLog()).length;
    await rig.popup.type('[data-testid=dial-input]', '2001');
    await rig.popup.click('[data-testid=dial-call]');
    const card = await rig.popup.waitForSelector('[data-testid=call][data-state="active"]', { timeout: 15_000 });
    const id = (await card!.evaluate((e) => e.getAttribute('data-call-id'))) ?? '';
    for (const key of ['1', '5', '#']) {
      await rig.popup.click(`[data-testid=call][data-call-id="${id}"] [data-testid="call-dtmf-${key}"]`);
    }
    // Three events logged: a key sent twice shows up before the later keys, in order.
    const deadline = Date.now() + 10_000;
    while (events(await botLog()).length - before < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await clickInCall(rig.popup, id, 'call-hangup');
    await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
    const got = events(await botLog()).slice(before);
    console.log(`the bot received ${JSON.stringify(got)} for keys "15#"`);
    expect(got).toBe('15#');
  });
});
