import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Browser, Page } from 'puppeteer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGateways } from '../../native-host/src/media-gateway/gateways';
import { readPlainSdp, writePlainSdp } from '../../native-host/src/media-gateway/plain-sdp';
import { BridgedPeerConnection, placeholderStream } from '../../native-host/src/sip/bridged-peer-connection';
import { launchFirefoxForMedia } from '../support/firefox-media';
import { toneShare } from '../support/g711';
import { PlainRtpEndpoint } from '../support/plain-rtp-endpoint';
import { tempDir } from '../support/temp';
import { firefoxTestExtensionDir } from '../support/test-builds';
import { backgroundMediaBridge } from '../support/worker-media-bridge';
import { openExtensionPage } from '../support/firefox';

/**
 * The media gateway with Firefox ESR's media engine (its background page), a plain-RTP far end in
 * the test, driven through the JsSIP-facing surface as JsSIP drives an outgoing call. Firefox
 * gathers no loopback UDP candidate (tests/e2e-veth/README.md), so the gateway's WebRTC leg uses
 * the machine's own address that Firefox offers (192.0.2.10 here), still never leaving the machine.
 * Firefox cannot play audio without a sound card here (firefox-media.ts): what it receives is
 * counted; the far end measures Firefox's fake 440 Hz microphone.
 */
const MIC_HZ = 440;
const loopbackOnly = Object.keys(networkInterfaces()).every((name) => name === 'lo');
const log = pino({ level: process.env.VOISPEED_TEST_LOG ? 'debug' : 'silent' });

async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(loopbackOnly)('media gateway with Firefox ESR (background page) ↔ plain RTP far end', () => {
  const dir = tempDir('gw-firefox');
  let browser: Browser;
  let page: Page;
  let bridge: ReturnType<typeof backgroundMediaBridge>;
  const gateways = startGateways({ log, rtpPorts: () => ({ min: 30100, max: 30199 }), pbxHost: () => '127.0.0.1', offerSrtp: () => false });
  const far: PlainRtpEndpoint[] = [];

  beforeAll(async () => {
    const home = join(dir.path, 'home');
    mkdirSync(home, { recursive: true });
    const launched = await launchFirefoxForMedia({ home, extensionDir: firefoxTestExtensionDir, toneHz: MIC_HZ });
    browser = launched.browser;
    page = await openExtensionPage(browser, `${launched.base}extension/options/index.html`);
    await page.waitForSelector('[data-testid=registration]', { timeout: 15_000 });
    bridge = backgroundMediaBridge(page);
  });
  afterAll(async () => {
    gateways.closeAll();
    for (const e of far) e.close();
    bridge?.stop();
    await browser?.close();
    dir.remove();
  });

  it('outgoing: the PBX picks PCMU; Firefox connects to the gateway, the far end hears its 440 Hz, Firefox receives the far end, DTMF arrives as RFC 4733', async () => {
    const browserPc = new BridgedPeerConnection(bridge, { iceServers: [] }, (err, what) => log.warn({ err, what }, 'bridge'));
    const gw = gateways.create(browserPc);
    gw.addTrack(placeholderStream('mic').getTracks()[0]!);
    await gw.setLocalDescription(await gw.createOffer());
    const ours = readPlainSdp(gw.localDescription!.sdp);
    expect(ours.codecs.map((c) => c.name)).toEqual(['PCMU', 'PCMA', 'telephone-event']);
    const pbx = await PlainRtpEndpoint.open();
    far.push(pbx);
    const codecs = [
      { pt: 0, name: 'PCMU', rate: 8000 },
      { pt: 101, name: 'telephone-event', rate: 8000, fmtp: '0-16' },
    ];
    await gw.setRemoteDescription({ type: 'answer', sdp: writePlainSdp({ sessionId: '9', version: 1, address: '127.0.0.1', port: pbx.port, codecs, direction: 'sendrecv' }) });
    await until(() => gw.connectionState === 'connected', 'Firefox connected to the gateway');
    pbx.startTone({ address: ours.address, port: ours.port }, 'PCMU', 0, 1000);

    await pbx.until((r) => r.filter((p) => p.pt === 0).length >= 100, "Firefox's microphone at the far end");
    const share = toneShare(pbx.samples(0, 'PCMU', pbx.received.length - 50), MIC_HZ);
    console.log(`Firefox → gateway → far end: ${MIC_HZ} Hz share ${share.toFixed(2)}`);
    expect(share).toBeGreaterThan(0.5);

    let inbound = { packetsReceived: 0 };
    await until(async () => {
      inbound = (await bridge.engine('test.inbound', { pcId: browserPc.pcId })) as { packetsReceived: number };
      return inbound.packetsReceived > 50;
    }, 'the far end reaching Firefox');
    console.log(`far end → gateway → Firefox: ${inbound.packetsReceived} packets so far`);

    gw.getSenders()[0]!.dtmf.insertDTMF('7', 100, 70);
    await pbx.until((r) => r.some((p) => p.pt === 101 && p.payload[0] === 7 && (p.payload[1]! & 0x80) !== 0), 'DTMF 7 at the far end');
    gw.close();
    pbx.stop();
    expect(gateways.live()).toBe(0);
  });
});
