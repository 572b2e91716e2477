import { mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page, WebWorker } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../native-host/src/install';
import { startSandbox, stopSandbox, type ClassicSandboxStatus } from '../../native-host/src/sandbox';
import { SettingsStore } from '../../native-host/src/settings/settings-store';
import { baresipCommand } from '../support/baresip-ctrl';
import { runTrunkScenario, sippPath } from '../support/sipp';
import { BOT_HZ, MIC_HZ, callCard, clickInCall, heard } from '../support/call-rig';
import { extensionWorker, launchChromium, openPopup, waitForStatus } from '../support/chromium';
import { repoRoot } from '../support/host-process';
import { tempDir } from '../support/temp';
import { chromeTestExtensionDir } from '../support/test-builds';
import { analyseWav, writeToneWav } from '../support/wav';

/**
 * The whole plain-SIP path with real parts: the extension in Chromium (fake 440 Hz microphone) →
 * the host over SIP/UDP → the classic sandbox's Kamailio (no rtpengine) → the baresip bot on plain
 * G.711 RTP, which plays 1 kHz and records what it hears. The browser's WebRTC ends at the host's
 * media gateway; only plain RTP reaches the bot.
 */
describe('media gateway end to end: Chromium → host (SIP/UDP) → classic Kamailio → baresip', { timeout: 90_000 }, () => {
  const dir = tempDir('gw-classic');
  const home = join(dir.path, 'home');
  const profile = join(dir.path, 'profile');
  let sandbox: ClassicSandboxStatus;
  let browser: Browser;
  let popup: Page;
  let worker: WebWorker;

  const botLog = () => readFileSync(join(home, 'sandbox', 'baresip-2001.log'), 'utf8');
  const kamailioLog = () => readFileSync(join(home, 'sandbox', 'kamailio.log'), 'utf8');
  const within = (value: number, target: number, share = 0.05) => Math.abs(value - target) <= target * share;

  /** Waits until the extension hears the bot's tone (the analyser is read until it does). */
  async function hearsBot(what: string, timeoutMs = 15_000) {
    const deadline = Date.now() + timeoutMs;
    let ear = { rms: 0, dominantHz: 0 };
    while (Date.now() < deadline) {
      ear = await heard(worker);
      if (ear.rms > 0.01 && within(ear.dominantHz, BOT_HZ)) return ear;
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

  beforeAll(async () => {
    sandbox = await startSandbox({ dir: join(home, 'sandbox'), profile: 'classic' });
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account: sandbox.account }));
    await install({ bundleDir: join(repoRoot, 'dist/host'), browsers: ['chromium'], userDataDir: profile, env: { ...process.env, VOISPEED_HOME: home }, log: () => undefined });
    const wav = join(dir.path, 'mic-440.wav');
    writeToneWav(wav, MIC_HZ, 10);
    browser = await launchChromium({
      userDataDir: profile,
      extensionDir: chromeTestExtensionDir,
      args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wav}`, '--autoplay-policy=no-user-gesture-required'],
    });
    worker = await extensionWorker(browser);
    popup = await openPopup(browser);
    await waitForStatus(popup, /^Registered as 1001\b/, 15_000);
  });
  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await stopSandbox(join(home, 'sandbox'));
    if (!process.env.KEEP_RIG) dir.remove();
  });

  it('outgoing over UDP: plain RTP/AVP reaches the bot, audio both ways, RFC 4733 DTMF, hold and resume', async () => {
    const since = Date.now();
    const k0 = kamailioLog().length;
    const dtmf0 = [...botLog().matchAll(/received event: '(.)' \(end=1\)/g)].length;
    await popup.type('[data-testid=dial-input]', '2001');
    await popup.click('[data-testid=dial-call]');
    const id = await callCard(popup, 'active');
    expect(kamailioLog().slice(k0)).toMatch(/REQ INVITE \S+ from udp:127\.0\.0\.1:\d+$/m);
    const ear = await hearsBot('after answer');
    console.log(`outgoing: the extension hears ${ear.dominantHz.toFixed(0)} Hz at RMS ${ear.rms.toFixed(4)}`);

    for (const key of ['1', '5', '#']) {
      const before = [...botLog().matchAll(/received event: '(.)' \(end=1\)/g)].length;
      await popup.click(`[data-testid=call][data-call-id="${id}"] [data-testid="call-dtmf-${key}"]`);
      await until(() => [...botLog().matchAll(/received event: '(.)' \(end=1\)/g)].length > before, `DTMF ${key} at the bot`);
    }
    const keys = [...botLog().matchAll(/received event: '(.)' \(end=1\)/g)].map((m) => m[1]).slice(dtmf0);
    expect(keys).toEqual(['1', '5', '#']);

    await clickInCall(popup, id, 'call-hold');
    await callCard(popup, 'held');
    await clickInCall(popup, id, 'call-hold');
    await callCard(popup, 'active');
    await hearsBot('after resume');

    await clickInCall(popup, id, 'call-hangup');
    await popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
    await until(() => botRecording(since) !== undefined, 'the bot recording');
    const bot = analyseWav(botRecording(since)!);
    console.log(`outgoing: the bot heard ${bot.hz.toFixed(1)} Hz at RMS ${bot.rms.toFixed(4)} over ${bot.seconds.toFixed(1)} s`);
    expect(within(bot.hz, MIC_HZ), `${bot.hz} Hz`).toBe(true);
    expect(bot.rms).toBeGreaterThan(0.02);
  });

  it.skipIf(!sippPath)('incoming with no codec in common (a carrier offering G.729 only): 488 before it rings, the popup says why', async () => {
    const cwd = join(dir.path, 'sipp');
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

  it('incoming over UDP: the bot dials 1001, Answer gives audio both ways, the bot hangs up', async () => {
    const since = Date.now();
    const ctrl = sandbox.users['2001'].ctrl!;
    await baresipCommand(ctrl, 'dial', `sip:1001@${sandbox.domain}`);
    const id = await callCard(popup, 'ringing-in');
    await clickInCall(popup, id, 'call-answer');
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
