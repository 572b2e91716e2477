import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox } from '../../native-host/src/sandbox';
import { baresipCommand } from '../support/baresip-ctrl';
import { startBaresipClient, type BaresipClient } from '../support/baresip-client';
import { callCard, startCallRig, type CallRig } from '../support/call-rig';
import { runCli } from '../support/cli';
import { setColleagues, waitForLamp as lamp } from '../support/colleagues';

/**
 * Colleagues' lamps through real parts: Chromium's popup ← host (JsSIP SUBSCRIBE dialog over
 * WebSocket) ← Kamailio's presence server (pua_dialoginfo) ← a real call to 1002, a plain SIP
 * phone (baresip, answering by hand) called by the bot 2001.
 */
describe('colleagues: lamps (Chromium)', { timeout: 180_000 }, () => {
  let rig: CallRig;
  let phone: BaresipClient;

  beforeAll(async () => {
    rig = await startCallRig('blf');
    phone = await startBaresipClient({ dir: rig.root, sandbox: rig.sandbox, user: '1002', transport: 'udp', toneHz: 600, answermode: 'manual' });
    await phone.waitFor(/200 OK/);
  });
  afterAll(async () => {
    await phone?.close();
    await rig?.close();
  });

  it('the options list 1002 and 3001; 1002 goes ringing (caller shown) → on a call → idle in the popup', async () => {
    const { popup } = rig;
    await setColleagues(rig.browser, '1002\n3001');

    await lamp(popup, '1002', 'idle');
    await lamp(popup, '3001', 'idle');
    const bot = rig.sandbox.users['2001'].ctrl!;
    await baresipCommand(bot, 'dial', `sip:1002@${rig.sandbox.domain}`);
    await lamp(popup, '1002', 'ringing');
    expect(await popup.$eval('[data-testid=colleague][data-ext="1002"] [data-testid=colleague-caller]', (e) => e.textContent)).toContain('2001');
    expect(await popup.$('[data-testid=colleague][data-ext="1002"] [data-testid=colleague-pickup]')).not.toBeNull();
    // The CLI sees the same lamps.
    const cli = await runCli(rig.home, ['colleagues']);
    expect(cli.out).toMatch(/^1002 +ringing \(2001 calling\)$/m);
    expect(cli.out).toMatch(/^3001 +idle$/m);

    await baresipCommand(phone.ctrl, 'accept');
    await lamp(popup, '1002', 'on-call');
    await baresipCommand(bot, 'hangup');
    await lamp(popup, '1002', 'idle');
  });

  it('during a call a colleague is a one-click transfer target: the bot is sent to 1002, which rings; once it answers our call ends', async () => {
    const { popup } = rig;
    await popup.$eval('[data-testid=dial-input]', (e) => ((e as HTMLInputElement).value = ''));
    await popup.type('[data-testid=dial-input]', '2001');
    await popup.click('[data-testid=dial-call]');
    const id = await callCard(popup, 'active');
    await popup.click('[data-testid=colleague][data-ext="1002"] [data-testid=colleague-transfer]');
    await lamp(popup, '1002', 'ringing');
    expect(await popup.$eval('[data-testid=colleague][data-ext="1002"] [data-testid=colleague-caller]', (e) => e.textContent)).toContain('2001');
    // A blind transfer ends our leg once the target answers (blind-transfer.ts).
    await baresipCommand(phone.ctrl, 'accept');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
    await lamp(popup, '1002', 'on-call');
    await baresipCommand(rig.sandbox.users['2001'].ctrl!, 'hangup');
    await lamp(popup, '1002', 'idle');
  });

  it('Kamailio restarted (the whole PBX): the lamps go unknown, come back, and follow a new call', async () => {
    const { popup } = rig;
    const old = rig.sandbox.processes.kamailio.pid as number;
    // A crash of the whole PBX (main process and workers: one process group), not a clean stop:
    // it forgets every subscription and registration, and the WebSocket connections drop.
    process.kill(-old, 'SIGKILL');
    await popup.waitForSelector('[data-testid=colleague][data-ext="1002"]:not([data-lamp="idle"])', { timeout: 20_000 });
    const again = await startSandbox({ dir: join(rig.home, 'sandbox') });
    expect(again.processes.kamailio.pid).not.toBe(old);
    expect(again.ports.kamailioWs).toBe(rig.sandbox.ports.kamailioWs);
    // The host re-registers on its own (JsSIP's reconnect) and subscribes afresh.
    await lamp(popup, '1002', 'idle', 60_000);
    await lamp(popup, '3001', 'idle', 60_000);
    // The phone re-registers (the PBX forgot it too) and takes a new call: the lamps follow it.
    await phone.close();
    phone = await startBaresipClient({ dir: rig.root, sandbox: again, user: '1002', transport: 'udp', toneHz: 600, answermode: 'manual' });
    await phone.waitFor(/200 OK/);
    const bot = again.users['2001'].ctrl!;
    await baresipCommand(bot, 'dial', `sip:1002@${again.domain}`);
    await lamp(popup, '1002', 'ringing');
    await baresipCommand(phone.ctrl, 'accept');
    await lamp(popup, '1002', 'on-call');
    await baresipCommand(bot, 'hangup');
    await lamp(popup, '1002', 'idle');
  });
});
