import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { install } from '../../native-host/src/install';
import { latestBotRecording } from '../support/call-rig';
import { launchFirefox, openExtensionPage } from '../support/firefox';
import { backgroundMedia } from '../support/firefox-media';
import { repoRoot } from '../support/host-process';
import { startClassicRig, startRig, type ClassicRig, type Rig } from '../support/sandbox-fixture';
import { firefoxTestExtensionDir } from '../support/test-builds';
import { analyseWav } from '../support/wav';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * `ws`: Firefox's WebRTC goes to the WebSocket sandbox's rtpengine. `classic`: the account is a SIP
 * server over UDP (the classic sandbox, no rtpengine): Firefox's WebRTC ends at the host's media
 * gateway, which sends plain G.711 RTP to the bot.
 */
describe.each(['ws', 'classic'] as const)('a call with audio both ways in Firefox ESR (%s sandbox)', { timeout: 90_000 }, (profile) => {
  let rig: Rig | ClassicRig;
  let browser: Browser | undefined;
  let popup: Page;

  beforeAll(async () => {
    rig = profile === 'ws' ? await startRig('ffcall') : await startClassicRig('ffcall-classic', 'udp');
    const ffHome = join(rig.root, 'ff-home');
    mkdirSync(ffHome, { recursive: true });
    await install({
      bundleDir: join(repoRoot, 'dist/host'),
      browsers: ['firefox'],
      homedir: ffHome,
      env: { ...process.env, HOME: ffHome, VOISPEED_HOME: rig.home },
      log: () => undefined,
    });
    const launched = await launchFirefox({
      home: ffHome,
      extensionDir: firefoxTestExtensionDir,
      prefs: {
        'media.navigator.streams.fake': true,
        'media.navigator.permission.disabled': true,
        'media.autoplay.default': 0,
        'media.autoplay.blocking_policy': 0,
        // rtpengine cannot resolve mDNS (.local) host candidates: offer the real address.
        'media.peerconnection.ice.obfuscate_host_addresses': false,
        'media.navigator.audio.fake_frequency': 440,
        // rtpengine's candidate is 127.0.0.1: Firefox drops loopback remote candidates unless told.
        'media.peerconnection.ice.loopback': true,
      },
    });
    browser = launched.browser;
    popup = await openExtensionPage(browser, `${launched.base}extension/popup/index.html`);
    await popup.waitForFunction(
      () => /^Registered as 1001 \(sandbox\)$/.test(document.querySelector('[data-testid=registration]')?.textContent ?? ''),
      { timeout: 20_000, polling: 200 },
    );
  });
  afterAll(async () => {
    await browser?.close();
    await rig?.stop();
  });

  it("dials 2001 from the popup: the bot hears the 440 Hz fake microphone and the bot's RTP reaches Firefox", async () => {
    const since = Date.now();
    const kamailioLog = () => readFileSync(join(rig.home, 'sandbox', 'kamailio.log'), 'utf8');
    const k0 = kamailioLog().length;
    const media = backgroundMedia(popup);
    const engineState = async () => (await media.engine('test.state')).ok as { spare?: string; spareAnnounced?: string; micActive: boolean };
    if (profile === 'ws') {
      // The open popup had the engine prepare the next call's peer connection (issue 19), without
      // the microphone.
      for (;;) {
        const state = await engineState();
        expect(state.micActive).toBe(false);
        if (state.spare) break;
        await sleep(20);
      }
    }
    await popup.type('[data-testid=dial-input]', '2001');
    // A press on Call opens the microphone, and only then is the spare offered to the host; its
    // announcement left for the host before this reply (the engine and the relay share this page).
    await popup.hover('[data-testid=dial-call]');
    await popup.mouse.down();
    if (profile === 'ws') while (!(await engineState()).spareAnnounced) await sleep(20);
    await popup.mouse.up();
    await popup.waitForSelector('[data-testid=call][data-state=active]', { timeout: 20_000 });
    // The host's own SIP: over the WebSocket, or over UDP from the machine with the gateway's plain RTP.
    expect(kamailioLog().slice(k0)).toMatch(profile === 'ws' ? /REQ INVITE sip:2001@\S+ from ws:/ : /REQ INVITE sip:2001@\S+ from udp:127\.0\.0\.1:/);
    if (profile === 'ws') {
      // The call took it: no offer was made after the click.
      const steps = (await media.engine('test.trace')).ok as { stage: string }[];
      expect(steps.filter((s) => s.stage.startsWith('create (prepared spare-')).length, JSON.stringify(steps.map((s) => s.stage))).toBe(1);
      expect(steps.some((s) => s.stage === 'media.pc.createOffer start')).toBe(false);
    }
    // Headless Firefox never starts an AudioContext here, so what arrives is counted as RTP.
    const pcs = ((await media.engine('test.state')).ok as { pcs: { pcId: string }[] }).pcs;
    expect(pcs).toHaveLength(1);
    const inbound = async () => (await media.engine('test.inbound', { pcId: pcs[0]!.pcId })).ok as { packetsReceived: number; packetsLost: number };
    const deadline = Date.now() + 10_000;
    while ((await inbound()).packetsReceived === 0 && Date.now() < deadline) await sleep(100);
    const first = await inbound();
    await sleep(2000);
    const later = await inbound();
    const perSecond = (later.packetsReceived - first.packetsReceived) / 2;
    console.log(`Firefox received ${perSecond.toFixed(0)} RTP audio packets/s from the bot, ${later.packetsLost} lost`);
    // 20 ms packetisation: about 50 packets a second.
    expect(perSecond).toBeGreaterThan(40);
    await popup.click('[data-testid=call-hangup]');
    await popup.waitForSelector('[data-testid=call][data-state=ended]');
    await sleep(500);
    const file = latestBotRecording(rig, since);
    expect(file).toBeDefined();
    const bot = analyseWav(file!);
    console.log(`bot heard ${bot.hz.toFixed(1)} Hz at RMS ${bot.rms.toFixed(4)} from Firefox's fake microphone`);
    expect(bot.rms).toBeGreaterThan(0.02);
    expect(Math.abs(bot.hz - 440)).toBeLessThan(22);
  });
});
