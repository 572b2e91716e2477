import { spawn, type ChildProcess } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../native-host/src/sandbox/ports';
import { baresipCommand } from '../support/baresip-ctrl';
import { startBaresipClient, type BaresipClient } from '../support/baresip-client';
import { callCard, clickInCall, startCallRig, type CallRig } from '../support/call-rig';
import { setColleagues, waitForLamp } from '../support/colleagues';
import { BYE_ANSWERED, SIPP_SDP, sippPath } from '../support/sipp';

const CALL_ID = 'blf-pickup-1@127.0.0.1';
/** sipp matches replies to its call by Call-ID: the fixed one comes from -cid_str, not the scenario text. */
const callIdArgs = (callId: string) => ['-cid_str', callId.replace('@127.0.0.1', '@%s')];
const FROM_TAG = 'callertag';

/** The caller: a call from the trunk to 1002 whose Contact is the caller's other port (scenario below). */
const callerScenario = (domain: string, contactPort: number) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="outside caller rings 1002">
  <send retrans="500"><![CDATA[
INVITE sip:1002@${domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:0611223344@${domain}>;tag=${FROM_TAG}
To: <sip:1002@${domain}>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:caller@[local_ip]:${contactPort}>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${SIPP_SDP}]]></send>
  <recv response="100" optional="true"/>
  <recv response="180"/>
  <recv response="200"/>
</scenario>
`;

/**
 * The caller's phone, where its Contact points: like a desk phone it takes an INVITE whose
 * Replaces names its ringing call (RFC 3891) — and refuses the scenario if the header is not the
 * one the dialog info gives (its Call-ID, 1002's tag as to-tag, its own tag as from-tag, early-only).
 */
const pickupScenario = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="caller's phone answers a pick-up">
  <recv request="INVITE">
    <action>
      <ereg regexp="${CALL_ID.replace(/\./g, '\\.')};to-tag=[^;]+;from-tag=${FROM_TAG};early-only" search_in="hdr" header="Replaces:" check_it="true" assign_to="replaces"/>
      <log message="pick-up replaces [$replaces]"/>
    </action>
  </recv>
  <send><![CDATA[
SIP/2.0 200 OK
[last_Via:]
[last_From:]
[last_To:];tag=[pid]SIPpTag01[call_number]
[last_Call-ID:]
[last_CSeq:]
[last_Record-Route:]
Contact: <sip:caller@[local_ip]:[local_port]>
Content-Type: application/sdp
Content-Length: [len]

${SIPP_SDP}]]></send>
  <recv request="ACK"/>
${BYE_ANSWERED}</scenario>
`;

function runSipp(cwd: string, args: string[]): { child: ChildProcess; exit: Promise<number | null>; output(): string } {
  const child = spawn(sippPath as string, [...args, '-nostdin', '-m', '1', '-l', '1'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, exit, output: () => out };
}

describe.skipIf(!sippPath)('colleagues: pick-up (Chromium)', { timeout: 180_000 }, () => {
  let rig: CallRig;
  let phone: BaresipClient;
  const sipps: ChildProcess[] = [];

  beforeAll(async () => {
    rig = await startCallRig('pickup');
    phone = await startBaresipClient({ dir: rig.root, sandbox: rig.sandbox, user: '1002', transport: 'udp', toneHz: 600, answermode: 'manual' });
    await phone.waitFor(/200 OK/);
  });
  afterAll(async () => {
    for (const s of sipps) s.kill('SIGKILL');
    await phone?.close();
    await rig?.close();
  });

  it('Pick up on a ringing 1002 sends the caller an INVITE with Replaces of that call; the caller answers, the user talks to it', async () => {
    const { popup } = rig;
    await setColleagues(rig.browser, '1002');
    await waitForLamp(popup, '1002', 'idle');

    const pickupPort = await freePort('udp');
    const callerPort = await freePort('udp');
    await writeFile(join(rig.root, 'pickup.xml'), pickupScenario);
    await writeFile(join(rig.root, 'caller.xml'), callerScenario(rig.sandbox.domain, pickupPort));
    const media = ['-mi', '127.0.0.1'];
    const answering = runSipp(rig.root, ['-sf', 'pickup.xml', '-i', '127.0.0.1', '-p', String(pickupPort), ...media, '-mp', String(await freePort('udp')), '-timeout', '90s', '-timeout_error']);
    sipps.push(answering.child);
    const caller = runSipp(rig.root, [`127.0.0.1:${rig.sandbox.ports.kamailioTrunk}`, '-sf', 'caller.xml', ...callIdArgs(CALL_ID), '-i', '127.0.0.1', '-p', String(callerPort), ...media, '-mp', String(await freePort('udp'))]);
    sipps.push(caller.child);

    await waitForLamp(popup, '1002', 'ringing');
    expect(await popup.$eval('[data-testid=colleague][data-ext="1002"] [data-testid=colleague-caller]', (e) => e.textContent)).toContain('0611223344');
    await popup.click('[data-testid=colleague][data-ext="1002"] [data-testid=colleague-pickup]');
    const id = await callCard(popup, 'active', 20_000);
    await clickInCall(popup, id, 'call-hangup');
    expect(await answering.exit, answering.output().slice(-3000)).toBe(0);
    const kamailio = await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8');
    expect(kamailio).toMatch(new RegExp(`REQ INVITE sip:caller@127\\.0\\.0\\.1:${pickupPort} from ws:`));
    // sipp plays the caller's two halves and cannot CANCEL the ringing leg itself: 1002 refuses it.
    await baresipCommand(phone.ctrl, 'hangup');
    await waitForLamp(popup, '1002', 'idle');
  });

  it('with a pick-up code (**{ext}) Pick up dials the code for that colleague instead', async () => {
    const { popup } = rig;
    await setColleagues(rig.browser, '1002', '**{ext}');
    await waitForLamp(popup, '1002', 'idle');
    const callerPort = await freePort('udp');
    await writeFile(join(rig.root, 'caller2.xml'), callerScenario(rig.sandbox.domain, callerPort));
    const caller = runSipp(rig.root, [`127.0.0.1:${rig.sandbox.ports.kamailioTrunk}`, '-sf', 'caller2.xml', ...callIdArgs('blf-pickup-2@127.0.0.1'), '-i', '127.0.0.1', '-p', String(callerPort), '-mi', '127.0.0.1', '-mp', String(await freePort('udp'))]);
    sipps.push(caller.child);
    await waitForLamp(popup, '1002', 'ringing');
    await popup.click('[data-testid=colleague][data-ext="1002"] [data-testid=colleague-pickup]');
    // The sandbox has no pick-up service: the code is just a number, answered by the bot.
    const id = await callCard(popup, 'active', 20_000);
    const kamailio = await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8');
    expect(kamailio).toMatch(/REQ INVITE sip:\*\*1002@sandbox\.voispeed\.test from ws:/);
    await clickInCall(popup, id, 'call-hangup');
    await baresipCommand(phone.ctrl, 'hangup');
    await waitForLamp(popup, '1002', 'idle');
  });
});
