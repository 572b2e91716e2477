import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, WebWorker } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOT_PROFILES, type ClassicSandboxStatus } from '../../native-host/src/sandbox';
import { baresipCommand } from '../support/baresip-ctrl';
import { runTrunkScenario, sippPath } from '../support/sipp';
import { BOT_HZ, MIC_HZ, callCard, clickInCall, heard, startClassicCallRig, type ClassicCallRig } from '../support/call-rig';
import { extensionUrl, waitForStatus } from '../support/chromium';
import { runCli } from '../support/cli';
import en from '../../extension/_locales/en/messages.json';
import it_ from '../../extension/_locales/it/messages.json';
import { repoRoot } from '../support/host-process';
import { tempDir } from '../support/temp';
import { analyseWav } from '../support/wav';

const recorder = join(repoRoot, 'tests/fixtures/integra-record-args.cjs');
const TRANSPORTS = ['udp', 'tcp', 'tls'] as const;

/**
 * The whole plain-SIP path with real parts, once per transport: the extension in Chromium (fake
 * 440 Hz microphone) → the host over SIP/UDP, SIP/TCP or SIP/TLS (verified against the sandbox CA,
 * the account's extra CA file) → the classic sandbox's Kamailio (no rtpengine) → the baresip bots on
 * plain G.711 RTP; 2001 plays 1 kHz and records what it hears. The browser's WebRTC ends at the
 * host's media gateway; only plain RTP (or SDES-SRTP, when the options ask for it on TLS) reaches the
 * bots. An Integra command rule records CALL_IN, CALL_ACCEPT and CALL_CLOSE as over WebSocket. Over
 * TLS also: the untrusted listener's error in the popup (en, it) and in `voispeed status`.
 */
describe.each(TRANSPORTS)('media gateway end to end: Chromium → host (SIP over %s) → classic Kamailio → baresip', { timeout: 90_000 }, (transport) => {
  let rig: ClassicCallRig;
  let sandbox: ClassicSandboxStatus;
  let home: string;
  /** Where the Integra command rule's recorder writes (known before the host starts). */
  const argvDir = tempDir(`gw-classic-argv-${transport}`);
  const argv = join(argvDir.path, 'argv');
  let browser: Browser;
  let popup: Page;
  let worker: WebWorker;

  const botLog = (user = '2001') => readFileSync(join(home, 'sandbox', `baresip-${user}.log`), 'utf8');
  const kamailioLog = () => readFileSync(join(home, 'sandbox', 'kamailio.log'), 'utf8');
  const within = (value: number, target: number, share = 0.05) => Math.abs(value - target) <= target * share;
  /** What the Integra command rule ran, oldest first: [event, number, call id, extension]. */
  const integraRuns = (callId: string) =>
    readdirSync(argv)
      .map((f) => JSON.parse(readFileSync(join(argv, f), 'utf8')) as { args: string[]; at: number })
      .filter((r) => r.args[2] === callId)
      .sort((a, b) => a.at - b.at)
      .map((r) => r.args);
  /** The INVITE our host sent reached Kamailio over this transport from loopback. */
  const inviteOver = new RegExp(`REQ INVITE sip:2001@\\S+ from ${transport}:127\\.0\\.0\\.1:\\d+$`, 'm');

  /** Waits until the extension hears the bot's tone (the analyser is read until it does). */
  async function hearsBot(what: string, hz = BOT_HZ, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let ear = { rms: 0, dominantHz: 0 };
    while (Date.now() < deadline) {
      ear = await heard(worker);
      if (ear.rms > 0.01 && within(ear.dominantHz, hz)) return ear;
    }
    throw new Error(`${what}: the extension heard ${ear.dominantHz.toFixed(0)} Hz at RMS ${ear.rms.toFixed(4)}`);
  }
  async function until(cond: () => boolean, what: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    while (!cond()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  function botRecording(since: number): string | undefined {
    const files = readdirSync(sandbox.recordingsDir)
      .filter((f) => f.endsWith('-dec.wav'))
      .map((f) => ({ f: join(sandbox.recordingsDir, f), t: statSync(join(sandbox.recordingsDir, f)).mtimeMs }))
      .filter((x) => x.t >= since - 1000)
      .sort((a, b) => b.t - a.t);
    return files[0]?.f;
  }
  /**
   * Presses a button of a call card. The button's own click, not a mouse click at coordinates: the
   * ended cards of the previous test leave the list a few seconds later and move everything below
   * them up, so a mouse click computed just before can land on the wrong place.
   */
  async function press(id: string, testid: string) {
    // As a user would, it waits for the button to be usable.
    const button = await popup.waitForSelector(`[data-testid=call][data-call-id="${id}"] [data-testid=${testid}]:not([disabled])`);
    await button!.evaluate((b) => (b as HTMLButtonElement).click());
  }
  async function hangUp(id: string) {
    await press(id, 'call-hangup');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
  }
  async function dialBot(): Promise<string> {
    const k0 = kamailioLog().length;
    await popup.type('[data-testid=dial-input]', '2001');
    // The button's own click (see press): the list above it may be shrinking.
    await popup.$eval('[data-testid=dial-call]', (b) => (b as HTMLButtonElement).click());
    const id = await callCard(popup, 'active').catch(async (err: Error) => {
      const shown = await popup.$eval('body', (b) => b.innerText.replace(/\s+/g, ' ').slice(0, 400));
      throw new Error(`${err.message}; the popup says: ${shown}; Kamailio since the click:\n${kamailioLog().slice(k0).slice(-1500)}`);
    });
    expect(kamailioLog().slice(k0)).toMatch(inviteOver);
    return id;
  }

  beforeAll(async () => {
    mkdirSync(argv);
    const rule = { id: 'rec', enabled: true, events: ['CALL_IN' as const, 'CALL_ACCEPT' as const, 'CALL_CLOSE' as const], action: 'command' as const };
    rig = await startClassicCallRig(`gw-classic-${transport}`, transport, (s) => ({
      ...s,
      integra: { enabled: true, onlyExternal: false, internalPattern: '^[0-9]{1,4}$', rules: [{ ...rule, template: `'${process.execPath}' '${recorder}' '${argv}' !02 !01 !05 !03` }] },
    }));
    ({ sandbox, home, browser, popup, worker } = rig);
  });
  afterAll(async () => {
    await rig?.close();
    argvDir.remove();
  });

  it('outgoing: plain RTP/AVP reaches the bot, audio both ways, RFC 4733 DTMF, hold and resume', async () => {
    const since = Date.now();
    const dtmf0 = [...botLog().matchAll(/received event: '(.)' \(end=1\)/g)].length;
    const b0 = botLog().length;
    const id = await dialBot();
    const ear = await hearsBot('after answer');
    console.log(`outgoing: the extension hears ${ear.dominantHz.toFixed(0)} Hz at RMS ${ear.rms.toFixed(4)}`);

    for (const key of ['1', '5', '#']) {
      const before = [...botLog().matchAll(/received event: '(.)' \(end=1\)/g)].length;
      await press(id, `"call-dtmf-${key}"`);
      await until(() => [...botLog().matchAll(/received event: '(.)' \(end=1\)/g)].length > before, `DTMF ${key} at the bot`);
    }
    const keys = [...botLog().matchAll(/received event: '(.)' \(end=1\)/g)].map((m) => m[1]).slice(dtmf0);
    expect(keys).toEqual(['1', '5', '#']);

    // Hold and resume by mouse, at its pace: "held" shows as soon as the hold re-INVITE leaves, and a
    // Resume pressed before that transaction ends is refused ("cannot be resumed right now": JsSIP
    // cannot re-offer yet). This is the first call of its browser, so no list moves under the mouse.
    await clickInCall(popup, id, 'call-hold');
    await callCard(popup, 'held');
    await clickInCall(popup, id, 'call-hold');
    await callCard(popup, 'active');
    await hearsBot('after resume');

    await hangUp(id);
    // By default plain RTP/AVP even over TLS: the bot (which would take SRTP) was offered no key.
    expect(botLog().slice(b0)).not.toMatch(/SRTP is Enabled/i);
    await until(() => botRecording(since) !== undefined, 'the bot recording');
    const bot = analyseWav(botRecording(since)!);
    console.log(`outgoing: the bot heard ${bot.hz.toFixed(1)} Hz at RMS ${bot.rms.toFixed(4)} over ${bot.seconds.toFixed(1)} s`);
    expect(within(bot.hz, MIC_HZ), `${bot.hz} Hz`).toBe(true);
    expect(bot.rms).toBeGreaterThan(0.02);
  });

  // The trunk is the same whatever the account's transport: once is enough.
  it.skipIf(!sippPath || transport !== 'udp')('incoming with no codec in common (a carrier offering G.729 only): 488 before it rings, the popup says why', async () => {
    const cwd = join(rig.root, 'sipp');
    mkdirSync(cwd, { recursive: true });
    const r = await runTrunkScenario('g729', G729_SCENARIO, { cwd, trunkPort: sandbox.ports.kamailioTrunk, domain: sandbox.domain, from: '<sip:0612345678@carrier.test>', to: '1001', sipPort: 25070, mediaPort: 25072 }, 20);
    expect(r.code, r.output.slice(-800)).toBe(0);
    // The popup shows the refused call (it never rang) with why it ended.
    const shown = await popup.waitForFunction(
      () => [...document.querySelectorAll('[data-testid=call][data-state="ended"], [data-testid=recent]')].map((e) => e.textContent ?? '').find((t) => t.includes('0612345678')),
      { timeout: 10_000, polling: 'mutation' },
    );
    const text = (await shown.jsonValue()) as string;
    console.log(`popup: ${text}`);
    expect(text).toMatch(/no audio codec in common/);
  });

  it('incoming: the bot dials 1001, Answer gives audio both ways, the bot hangs up; Integra runs CALL_IN, CALL_ACCEPT, CALL_CLOSE', async () => {
    const since = Date.now();
    const ctrl = sandbox.users['2001'].ctrl!;
    await baresipCommand(ctrl, 'dial', `sip:1001@${sandbox.domain}`);
    const id = await callCard(popup, 'ringing-in');
    await until(() => integraRuns(id).length === 1, 'the CALL_IN command');
    await press(id, 'call-answer');
    await callCard(popup, 'active');
    await hearsBot('incoming call');
    // The bot's recording must hold our tone before it hangs up (its file grows as it hears).
    await until(() => {
      const f = botRecording(since);
      return f !== undefined && analyseWav(f).seconds > 1.5;
    }, 'the bot to record 1.5 s');
    await baresipCommand(ctrl, 'hangup');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
    const bot = analyseWav(botRecording(since)!);
    console.log(`incoming: the bot heard ${bot.hz.toFixed(1)} Hz at RMS ${bot.rms.toFixed(4)}`);
    expect(within(bot.hz, MIC_HZ), `${bot.hz} Hz`).toBe(true);
    await until(() => integraRuns(id).length === 3, 'the CALL_CLOSE command');
    expect(integraRuns(id)).toEqual([
      ['CALL_IN', '2001', id, '1001'],
      ['CALL_ACCEPT', '2001', id, '1001'],
      ['CALL_CLOSE', '2001', id, '1001'],
    ]);
  });

  it('blind transfer to 3001: the bot (the caller) ends up talking to 3001, our leg ends', async () => {
    const k0 = kamailioLog().length;
    const established = (botLog('3001').match(/Call established/g) ?? []).length;
    const id = await dialBot();
    await hearsBot('before the transfer');
    await popup.type(`[data-testid=call][data-call-id="${id}"] [data-testid=call-transfer-input]`, '3001');
    await press(id, 'call-transfer');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`, { timeout: 15_000 });
    await until(() => (botLog('3001').match(/Call established/g) ?? []).length > established, '3001 to answer the transferred call');
    const k1 = kamailioLog().slice(k0);
    expect(k1).toMatch(new RegExp(`REQ REFER sip:2001\\S* from ${transport}:127\\.0\\.0\\.1:`));
    expect(k1).toMatch(/REQ INVITE sip:3001@/);
    // 2001 records its new call: it must hear 3001's own tone, so the two really talk. The file is
    // told by what it holds, not by its name: baresip names recordings by the second, and the new
    // call may start within the second our leg did (then it replaces that file).
    const endedAt = Date.now();
    let heardBy2001 = { hz: 0, rms: 0, seconds: 0 };
    await until(() => {
      const f = botRecording(endedAt);
      if (f) heardBy2001 = analyseWav(f);
      return heardBy2001.seconds > 1.5 && within(heardBy2001.hz, BOT_PROFILES['3001'].toneHz);
    }, '2001 to hear 3001').catch((err: Error) => {
      throw new Error(`${err.message}; it last heard ${heardBy2001.hz.toFixed(0)} Hz over ${heardBy2001.seconds.toFixed(1)} s`);
    });
    console.log(`after the transfer 2001 hears ${heardBy2001.hz.toFixed(1)} Hz at RMS ${heardBy2001.rms.toFixed(4)}`);
    expect(within(heardBy2001.hz, BOT_PROFILES['3001'].toneHz), `${heardBy2001.hz} Hz`).toBe(true);
    await baresipCommand(sandbox.users['3001'].ctrl!, 'hangup');
  });

  it('call waiting: 3001 calls during a call with 2001; answering it holds the first; the extension hears 3001 on the second', async () => {
    const first = await dialBot();
    await baresipCommand(sandbox.users['3001'].ctrl!, 'dial', `sip:1001@${sandbox.domain}`);
    const second = await callCard(popup, 'ringing-in');
    await press(second, 'call-answer');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${first}"][data-state=held]`);
    await popup.waitForSelector(`[data-testid=call][data-call-id="${second}"][data-state=active]`);
    await hearsBot('the second call', BOT_PROFILES['3001'].toneHz);
    await hangUp(second);
    await hangUp(first);
  });

  it('voispeed voispeed:C2001 (the CLI) places the call over this transport', async () => {
    const k0 = kamailioLog().length;
    const placed = await runCli(home, ['voispeed:C2001', '--json'], 20_000);
    expect(placed.code, placed.err).toBe(0);
    const call = JSON.parse(placed.out) as { id: string; remote: { number: string } };
    expect(call.remote.number).toBe('2001');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${call.id}"][data-state=active]`, { timeout: 15_000 });
    expect(kamailioLog().slice(k0)).toMatch(inviteOver);
    await hearsBot('the CLI call');
    await hangUp(call.id);
  });

  it.runIf(transport === 'tls')('with "Encrypt the audio (SRTP)" ticked in the options, a call over TLS offers SDES-SRTP: the bot keys it, audio both ways', async () => {
    const options = await browser.newPage();
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForSelector('[data-testid=opt-srtp-on-tls]:not([disabled])');
    await options.click('[data-testid=opt-srtp-on-tls]');
    await until(() => (JSON.parse(readFileSync(join(home, 'settings.json'), 'utf8')) as { preferences?: { srtpOnTls?: boolean } }).preferences?.srtpOnTls === true, 'the preference saved');
    await options.close();
    const since = Date.now();
    const b0 = botLog().length;
    const id = await dialBot();
    await hearsBot('the SRTP call');
    await until(() => {
      const f = botRecording(since);
      return f !== undefined && analyseWav(f).seconds > 1.5;
    }, 'the bot to record 1.5 s');
    await hangUp(id);
    const bot = analyseWav(botRecording(since)!);
    console.log(`SRTP: the bot heard ${bot.hz.toFixed(1)} Hz at RMS ${bot.rms.toFixed(4)}; its log: ${botLog().slice(b0).split('\n').filter((l) => /srtp|crypto/i.test(l)).join(' | ')}`);
    expect(within(bot.hz, MIC_HZ), `${bot.hz} Hz`).toBe(true);
    expect(botLog().slice(b0)).toMatch(/SRTP is Enabled/i);
  });

  it.runIf(transport === 'tls')('an account on the untrusted TLS listener: not registered, the popup says why in English and in Italian, and so does voispeed status', async () => {
    const a = sandbox.accounts.tls;
    const set = await runCli(home, ['account', 'set', '--server', sandbox.sipUris.tlsUntrusted, '--uri', a.uri, '--password-stdin', '--realm', a.realm!, '--label', 'sandbox', '--tls-ca-file', sandbox.caFile], 20_000, process.env, a.password);
    expect(set.code, set.err).toBe(0);
    await waitForStatus(popup, new RegExp(`^${en.regFailed.message}`), 20_000);
    const cause = () => popup.$eval('[data-testid=cause]', (e) => e.textContent ?? '');
    expect(await cause()).toContain(en.regCause.message.replace('$CAUSE$', en.causeTls.message));
    const status = await runCli(home, ['status'], 20_000);
    console.log(`voispeed status: ${status.out}`);
    expect(status.out).toMatch(/^failed as 1001 \(sandbox\): TLS Certificate Error/);
    const options = await browser.newPage();
    await options.goto(extensionUrl('extension/options/index.html'));
    await options.waitForSelector('[data-testid=opt-language]:not([disabled])');
    await options.select('[data-testid=opt-language]', 'it');
    await waitForStatus(popup, new RegExp(`^${it_.regFailed.message}`), 10_000);
    expect(await cause()).toContain(it_.regCause.message.replace('$CAUSE$', it_.causeTls.message));
    await options.select('[data-testid=opt-language]', 'auto');
    await options.close();
  });
});

/** A carrier's INVITE on the trunk offering only G.729; the call must be refused with 488 (then ACKed). */
const G729_SCENARIO = `<?xml version="1.0" encoding="ISO-8859-1" ?>
<scenario name="g729 only">
  <send retrans="500"><![CDATA[
INVITE sip:[service]@[field0] SIP/2.0
Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
From: [field1];tag=[pid]SIPpTag00[call_number]
To: <sip:[service]@[field0]>
Call-ID: [call_id]
CSeq: 1 INVITE
Contact: <sip:carrier@[local_ip]:[local_port]>
Max-Forwards: 70
Content-Type: application/sdp
Content-Length: [len]

v=0
o=- 1 1 IN IP4 [media_ip]
s=-
c=IN IP4 [media_ip]
t=0 0
m=audio [media_port] RTP/AVP 18
a=rtpmap:18 G729/8000
a=fmtp:18 annexb=no
]]></send>
  <recv response="100" optional="true"/>
  <recv response="488"/>
  <send><![CDATA[
ACK sip:[service]@[field0] SIP/2.0
[last_Via:]
From: [field1];tag=[pid]SIPpTag00[call_number]
[last_To:]
Call-ID: [call_id]
CSeq: 1 ACK
Max-Forwards: 70
Content-Length: 0

]]></send>
</scenario>
`;
