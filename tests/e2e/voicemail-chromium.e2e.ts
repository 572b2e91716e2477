import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../native-host/src/sandbox/ports';
import { waitForBadge } from '../support/badge';
import { callCard, clickInCall, startCallRig, type CallRig } from '../support/call-rig';
import { runCli } from '../support/cli';
import { sippPath } from '../support/sipp';

/** One NOTIFY (`message-summary`, outside any subscription, as many PBXs send) to 1001, with digest auth as 2001. */
function notifyScenario(domain: string, body: string): string {
  const request = (cseq: number, auth: string) => `NOTIFY sip:1001@${domain} SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: <sip:2001@${domain}>;tag=[pid]mwi[call_number]
To: <sip:1001@${domain}>
Call-ID: [call_id]
CSeq: ${cseq} NOTIFY
Contact: <sip:2001@[local_ip]:[local_port]>
${auth}Event: message-summary
Subscription-State: active
Max-Forwards: 70
Content-Type: application/simple-message-summary
Content-Length: [len]

${body}`;
  return `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="unsolicited MWI NOTIFY">
  <send retrans="500"><![CDATA[
${request(1, '')}]]></send>
  <recv response="407" auth="true"/>
  <send retrans="500"><![CDATA[
${request(2, '[authentication]\n')}]]></send>
  <recv response="200"/>
</scenario>
`;
}

/**
 * Voicemail waiting through real parts: sipp (the PBX's voicemail) NOTIFYs 1001 through Kamailio,
 * JsSIP in the host hears it, the popup and the toolbar badge show it; one click calls the mailbox.
 */
describe.skipIf(!sippPath)('voicemail waiting (Chromium)', { timeout: 120_000 }, () => {
  let rig: CallRig;
  beforeAll(async () => {
    rig = await startCallRig('mwi');
  });
  afterAll(async () => {
    await rig?.close();
  });

  async function notify(name: string, body: string): Promise<void> {
    const file = join(rig.root, `${name}.xml`);
    await writeFile(file, notifyScenario(rig.sandbox.domain, body.replace(/\n/g, '\r\n')));
    const bot = rig.sandbox.users['2001'];
    await promisify(execFile)(
      sippPath as string,
      [
        `127.0.0.1:${rig.sandbox.ports.kamailioUdp}`,
        ...['-sf', file, '-i', '127.0.0.1', '-p', String(await freePort('udp'))],
        ...['-au', '2001', '-ap', bot.password],
        ...['-m', '1', '-l', '1', '-timeout', '10s', '-timeout_error', '-nostdin'],
      ],
      { cwd: rig.root, timeout: 15_000 },
    );
  }

  it('Messages-Waiting: yes, Voice-Message: 2/8 shows 2 new (popup and badge); no clears it; Call voicemail dials the Message-Account', async () => {
    const { popup, worker } = rig;
    await notify('mwi-yes', `Messages-Waiting: yes\nMessage-Account: sip:*97@${rig.sandbox.domain}\nVoice-Message: 2/8 (0/2)\n`);
    await popup.waitForSelector('[data-testid=voicemail][data-new="2"][data-old="8"]');
    expect(await popup.$eval('[data-testid=voicemail-text]', (e) => e.textContent)).toBe('Voicemail: 2 new, 8 old');
    await waitForBadge(worker, 'VM2');
    expect((await runCli(rig.home, ['voicemail'])).out).toBe(`voicemail: 2 new, 8 old (sip:*97@${rig.sandbox.domain})`);

    await notify('mwi-no', 'Messages-Waiting: no\nVoice-Message: 0/10\n');
    await popup.waitForSelector('[data-testid=voicemail][data-new="0"][data-old="10"]');
    await waitForBadge(worker, '');

    await popup.click('[data-testid=voicemail-call]');
    const id = await callCard(popup, 'active');
    const kamailio = await readFile(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8');
    // The mailbox named in the first NOTIFY (the second named none): not a sandbox extension, so the bot answers.
    expect(kamailio).toMatch(/REQ INVITE sip:\*97@sandbox\.voispeed\.test from ws:/);
    await clickInCall(popup, id, 'call-hangup');
  });
});
