import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../native-host/src/sandbox/ports';
import { baresipCommand } from '../support/baresip-ctrl';
import { clickInCall, startCallRig, type CallRig } from '../support/call-rig';
import { cliBundle } from '../support/host-process';
import { linphonecPath, startLinphone } from '../support/linphone';
import { sippPath, sippTrunkCall } from '../support/sipp';
import { writeToneWav } from '../support/wav';

/**
 * Calls from outside numbers, as a carrier hands them to a PBX: through the sandbox's trunk port,
 * with caller ids that are not sandbox users, to the UI in Chromium (real host, real browser).
 */
describe.skipIf(!sippPath)('incoming calls from outside numbers through the sandbox trunk', { timeout: 90_000 }, () => {
  let rig: CallRig;

  beforeAll(async () => {
    rig = await startCallRig('trunk');
  });
  afterAll(async () => {
    await rig?.close();
  });

  const seen = new Set<string>();
  async function newCard(state: string): Promise<{ id: string; text: string }> {
    const handle = await rig.popup.waitForFunction(
      (st: string, old: string[]) => {
        const el = [...document.querySelectorAll(`[data-testid=call][data-state="${st}"]`)].find((e) => !old.includes(e.getAttribute('data-call-id') ?? ''));
        return el ? { id: el.getAttribute('data-call-id') ?? '', text: el.textContent ?? '' } : undefined;
      },
      { timeout: 15_000 },
      state,
      [...seen],
    );
    const card = (await handle.jsonValue()) as { id: string; text: string };
    seen.add(card.id);
    return card;
  }
  const cardIn = (id: string, state: string) => rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state="${state}"]`, { timeout: 15_000 });

  async function hostCalls(): Promise<Array<{ id: string; state: string; remote: { number: string; name?: string; uri: string } }>> {
    const { stdout } = await promisify(execFile)(process.execPath, [cliBundle, 'calls', '--json'], { env: { ...process.env, VOISPEED_HOME: rig.home } });
    const parsed = JSON.parse(stdout) as unknown;
    return (Array.isArray(parsed) ? parsed : (parsed as { calls: never[] }).calls) ?? [];
  }

  const callers = [
    { what: 'a national number', from: '<sip:0261616161@carrier.test>', number: '0261616161', shows: '0261616161' },
    { what: 'an international number', from: '<sip:+390261616161@carrier.test>', number: '+390261616161', shows: '+390261616161' },
    { what: 'an anonymous caller', from: '"Anonymous" <sip:anonymous@anonymous.invalid>', number: undefined, shows: 'Anonymous' },
    { what: 'a caller with a display name', from: '"Mario Rossi" <sip:0612987654@carrier.test>', number: '0612987654', shows: 'Mario Rossi' },
  ];

  for (const c of callers) {
    it(`${c.what} rings in the popup, is answered and hung up by the UI`, async () => {
      const call = await sippTrunkCall({
        cwd: rig.root,
        trunkPort: rig.sandbox.ports.kamailioTrunk,
        domain: rig.sandbox.domain,
        from: c.from,
        to: '1001',
        sipPort: await freePort('udp'),
        mediaPort: await freePort('udp'),
      });
      const card = await newCard('ringing-in');
      console.log(`${c.what}: the popup shows ${JSON.stringify(card.text.slice(0, 80))}`);
      if (c.shows) expect(card.text).toContain(c.shows);
      const info = (await hostCalls()).find((x) => x.id === card.id);
      expect(info, 'the host lists the call').toBeDefined();
      expect(info!.remote.uri).toContain(c.from.replace(/^.*<|>.*$/g, '').replace(/^sip:/, ''));
      if (c.number) expect(info!.remote.number).toBe(c.number);
      if (c.shows === 'Mario Rossi') expect(info!.remote.name).toBe('Mario Rossi');
      await clickInCall(rig.popup, card.id, 'call-answer');
      await cardIn(card.id, 'active');
      await clickInCall(rig.popup, card.id, 'call-hangup');
      await cardIn(card.id, 'ended');
      const result = await call.done;
      expect(result.code, result.output.slice(-1500)).toBe(0);
    });
  }

  it('the UI transfers its call with the bot to an outside number: the bot places that call, our leg ends', async () => {
    const k0 = (await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8')).length;
    await rig.popup.type('[data-testid=dial-input]', '2001');
    await rig.popup.click('[data-testid=dial-call]');
    const card = await newCard('active');
    await rig.popup.type(`[data-testid=call][data-call-id="${card.id}"] [data-testid=call-transfer-input]`, '0654321987');
    await clickInCall(rig.popup, card.id, 'call-transfer');
    await cardIn(card.id, 'ended');
    const k1 = (await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8')).slice(k0);
    expect(k1).toMatch(/REQ REFER sip:2001/);
    expect(k1).toMatch(/ROUTE sip:0654321987@\S+ -> sip:2001@/);
    await baresipCommand(rig.sandbox.users['2001'].ctrl!, 'hangup').catch(() => undefined);
    await baresipCommand(rig.sandbox.users['2001'].ctrl!, 'hangup').catch(() => undefined);
  });

  it.skipIf(!linphonecPath)('an outside caller (Linphone on the trunk) is blind-transferred to an outside number: the bot answers it, our leg ends', async () => {
    const dir = join(rig.root, 'outside');
    await promisify(execFile)('mkdir', ['-p', dir]);
    const mic = join(dir, 'mic.wav');
    writeToneWav(mic, 600, 30);
    const lp = await startLinphone({ dir, sandbox: rig.sandbox, micWav: mic, outsideNumber: '0612987654' });
    try {
      const k0 = (await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8')).length;
      lp.command(`call sip:1001@${rig.sandbox.domain}`);
      const card = await newCard('ringing-in');
      expect(card.text).toContain('0612987654');
      await clickInCall(rig.popup, card.id, 'call-answer');
      await cardIn(card.id, 'active');
      await lp.waitFor(/Call \d+ with [^\n]* connected/);
      const mark = lp.output().length;
      await rig.popup.type(`[data-testid=call][data-call-id="${card.id}"] [data-testid=call-transfer-input]`, '0654321987');
      await clickInCall(rig.popup, card.id, 'call-transfer');
      // Linphone follows the REFER with a new INVITE through the trunk; the sandbox sends the
      // outside number to the answering bot, which answers; then our leg ends.
      await cardIn(card.id, 'ended');
      await lp.waitFor(/Call \d+ with sip:0654321987@[^\n]* connected/, 15_000, mark);
      const k1 = (await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8')).slice(k0);
      expect(k1).toMatch(/TRUNK INVITE sip:1001@\S+ from sip:0612987654@carrier\.test/);
      expect(k1).toMatch(/REQ REFER /);
      expect(k1).toMatch(/TRUNK INVITE sip:0654321987@\S+ from sip:0612987654@carrier\.test/);
      expect(k1).toMatch(/ROUTE sip:0654321987@\S+ -> sip:2001@/);
      expect(k1).not.toMatch(/RPL 407 INVITE/);
    } finally {
      await baresipCommand(rig.sandbox.users['2001'].ctrl!, 'hangup').catch(() => undefined);
      await lp.close();
    }
  });
});
