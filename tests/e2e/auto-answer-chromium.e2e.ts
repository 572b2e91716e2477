import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page, WebWorker } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../native-host/src/sandbox/ports';
import { callCard, clickInCall, heard, MIC_HZ, startCallRig, type CallRig } from '../support/call-rig';
import { extensionUrl } from '../support/chromium';
import { BYE_ANSWERED, SIPP_SDP, sippPath } from '../support/sipp';

/** An intercom call from the trunk to 1001 (Call-Info answer-after=0, as a PBX's paging sends it). */
const intercomScenario = (domain: string) => `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="intercom call">
  <send retrans="500"><![CDATA[
INVITE sip:1001@${domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:3999@${domain}>;tag=[pid]ic[call_number]
To: <sip:1001@${domain}>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:paging@[local_ip]:[local_port]>
Call-Info: <sip:${domain}>;answer-after=0
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

${SIPP_SDP}]]></send>
  <recv response="100" optional="true"/>
  <recv response="180" optional="true"/>
  <recv response="183" optional="true"/>
  <recv response="200" rrs="true"/>
  <send><![CDATA[
ACK [next_url] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:3999@${domain}>;tag=[pid]ic[call_number]
[last_To:]
[routes]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
${BYE_ANSWERED}</scenario>
`;

async function setAutoAnswer(rig: CallRig, on: boolean): Promise<void> {
  const options = await rig.browser.newPage();
  try {
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForSelector('[data-testid=opt-auto-answer]:not([disabled])');
    if ((await options.$eval('[data-testid=opt-auto-answer]', (e) => (e as HTMLInputElement).checked)) !== on) await options.click('[data-testid=opt-auto-answer]');
    await options.waitForFunction(() => document.querySelector('[data-testid=colleagues-note]')?.textContent === 'Saved.', { timeout: 10_000 });
  } finally {
    await options.close();
  }
}

/** The call as the background holds it (what the auto-answer capability reads). */
const backgroundCall = (worker: WebWorker, id: string) =>
  worker.evaluate((callId) => (globalThis as unknown as { __voispeed: { state(): { calls: { id: string; autoAnswerAfterMs?: number }[] } } }).__voispeed.state().calls.find((c) => c.id === callId), id);

async function waitForAudio(worker: WebWorker, timeoutMs = 15_000): Promise<{ rms: number; dominantHz: number }> {
  const deadline = Date.now() + timeoutMs;
  let ear = await heard(worker);
  // Polls the analyser until the echo arrives (its first packets take a moment through rtpengine).
  while ((ear.rms < 0.01 || Math.abs(ear.dominantHz - MIC_HZ) > 40) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    ear = await heard(worker);
  }
  return ear;
}

describe.skipIf(!sippPath)('intercom auto-answer (Chromium)', { timeout: 150_000 }, () => {
  let rig: CallRig;
  beforeAll(async () => {
    rig = await startCallRig('intercom');
  });
  afterAll(async () => {
    await rig?.close();
  });

  function intercomCall(callId: string) {
    return (async () => {
      await writeFile(join(rig.root, 'intercom.xml'), intercomScenario(rig.sandbox.domain));
      const child = spawn(
        sippPath as string,
        [`127.0.0.1:${rig.sandbox.ports.kamailioTrunk}`, '-sf', 'intercom.xml', '-cid_str', callId.replace('@127.0.0.1', '@%s'), '-i', '127.0.0.1', '-p', String(await freePort('udp'))]
          .concat(['-mi', '127.0.0.1', '-mp', String(await freePort('udp')), '-rtp_echo', '-m', '1', '-l', '1', '-nostdin', '-timeout', '60s']),
        { cwd: rig.root, stdio: 'ignore' },
      );
      return { child, exit: new Promise<number | null>((r) => child.once('exit', (code) => r(code))) };
    })();
  }

  it('answer-after=0 with auto-answer on: answered without a click, with audio both ways (sipp echoes our microphone)', async () => {
    const { popup, worker } = rig as { popup: Page; worker: WebWorker };
    await setAutoAnswer(rig, true);
    const sipp = await intercomCall('intercom-1@127.0.0.1');
    const id = await callCard(popup, 'active', 20_000);
    expect((await backgroundCall(worker, id))?.autoAnswerAfterMs).toBe(0);
    const ear = await waitForAudio(worker);
    console.log(`intercom: heard ${ear.dominantHz.toFixed(1)} Hz at RMS ${ear.rms.toFixed(4)} (our ${MIC_HZ} Hz microphone, echoed)`);
    expect(ear.rms).toBeGreaterThan(0.01);
    expect(Math.abs(ear.dominantHz - MIC_HZ)).toBeLessThan(40);
    await clickInCall(popup, id, 'call-hangup');
    expect(await sipp.exit).toBe(0);
  });

  it('with auto-answer off the same call only rings (not marked for answering), and is declined by hand', async () => {
    const { popup, worker } = rig as { popup: Page; worker: WebWorker };
    await setAutoAnswer(rig, false);
    const sipp = await intercomCall('intercom-2@127.0.0.1');
    const id = await callCard(popup, 'ringing-in', 20_000);
    expect(await backgroundCall(worker, id)).not.toHaveProperty('autoAnswerAfterMs');
    await clickInCall(popup, id, 'call-decline');
    await sipp.exit;
    const kamailio = await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8');
    expect(kamailio).toContain('INVITE sip:1001@sandbox.voispeed.test call-id intercom-2@127.0.0.1');
    expect(kamailio).not.toContain('ANSWER call-id intercom-2@127.0.0.1');
  });
});
