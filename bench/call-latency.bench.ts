// Calls (issue "Calls with real two-way audio"): popup "Call" click → INVITE at Kamailio (target
// median ≤ 40 ms), click → answered, against sipp placing the same call through the same Kamailio
// (target ≤ 3× sipp), then far-end INVITE → ringing in the popup and Answer → first audio.
// Runs inside a loopback-only network namespace (scripts/bench.mjs).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { freePort } from '../native-host/src/sandbox/ports';
import { baresipCommand } from '../tests/support/baresip-ctrl';
import { callCard, clickInCall, startCallRig } from '../tests/support/call-rig';
import { sippCall } from '../tests/support/sipp';
import { fmt, summary } from './stats';

const N = Number(process.env.BENCH_CALLS ?? 50);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Timed {
  invites: Map<string, number>;
  answers: Map<string, number>;
  order: string[];
}

async function kamailioTimes(logFile: string): Promise<Timed> {
  const text = await readFile(logFile, 'utf8');
  const invites = new Map<string, number>();
  const answers = new Map<string, number>();
  const order: string[] = [];
  for (const m of text.matchAll(/TIME (\d+\.\d+) (INVITE \S+|ANSWER) call-id (\S+)/g)) {
    const t = Number(m[1]) * 1000;
    const id = m[3]!;
    if (m[2]!.startsWith('INVITE')) {
      // The first INVITE of a call is challenged (407); the clock starts there.
      if (!invites.has(id)) {
        invites.set(id, t);
        order.push(id);
      }
    } else if (!answers.has(id)) answers.set(id, t);
  }
  return { invites, answers, order };
}

async function main() {
  const rig = await startCallRig('bench-call');
  const klog = join(rig.home, 'sandbox', 'kamailio.log');
  try {
    const toInvite: number[] = [];
    const toAnswer: number[] = [];
    const toHost: number[] = [];
    const inviteToAnswer: number[] = [];
    const hostLog = join(rig.home, 'logs', 'host.log');
    const dialTimes = async () =>
      (await readFile(hostLog, 'utf8'))
        .split('\n')
        .filter((l) => l.includes('"msg":"dial"'))
        .map((l) => (JSON.parse(l) as { time: number }).time);
    for (let i = 0; i < N + 3; i++) {
      const before = (await kamailioTimes(klog)).order.length;
      await rig.popup.$eval('[data-testid=dial-input]', (e) => ((e as HTMLInputElement).value = ''));
      await rig.popup.type('[data-testid=dial-input]', '2001');
      await rig.popup.$eval('[data-testid=dial-call]', (b) =>
        b.addEventListener('click', () => ((window as unknown as { __clickAt: number }).__clickAt = Date.now()), { capture: true, once: true }),
      );
      await rig.popup.click('[data-testid=dial-call]');
      // The click as the page saw it, not as puppeteer issued it.
      const clickedAt = await rig.popup.evaluate(() => (window as unknown as { __clickAt: number }).__clickAt);
      const id = await callCard(rig.popup, 'active');
      const t = await kamailioTimes(klog);
      const sipCallId = t.order[before];
      if (!sipCallId) throw new Error('no INVITE logged');
      if (i >= 3) {
        // The first calls warm up the offscreen document and the microphone.
        toInvite.push(t.invites.get(sipCallId)! - clickedAt);
        toAnswer.push((t.answers.get(sipCallId) ?? NaN) - clickedAt);
        inviteToAnswer.push((t.answers.get(sipCallId) ?? NaN) - t.invites.get(sipCallId)!);
        const dials = await dialTimes();
        toHost.push(dials[dials.length - 1]! - clickedAt);
      }
      await clickInCall(rig.popup, id, 'call-hangup');
      await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
    }
    const a = summary(toInvite);
    const b = summary(toAnswer);
    console.log(`popup click → INVITE at Kamailio, n=${a.n}: median ${fmt(a.median)}, p99 ${fmt(a.p99)} (target median ≤ 40 ms: ${a.median <= 40 ? 'met' : 'MISSED'})`);
    console.log(`popup click → 200 OK at Kamailio (answered), n=${b.n}: median ${fmt(b.median)}, p99 ${fmt(b.p99)}`);
    const h = summary(toHost);
    console.log(`  of which click → host starts the call (popup → worker → host), median ${fmt(h.median)}, p99 ${fmt(h.p99)}`);
    const ia = summary(inviteToAnswer);
    console.log(`our first INVITE → 200 OK at Kamailio, n=${ia.n}: median ${fmt(ia.median)}, p99 ${fmt(ia.p99)}`);

    const sippSetup: number[] = [];
    for (let i = 0; i < Math.min(N, 20); i++) {
      const before = (await kamailioTimes(klog)).order.length;
      await sippCall({
        cwd: rig.root,
        kamailioUdp: rig.sandbox.ports.kamailioUdp,
        domain: rig.sandbox.domain,
        user: '1004',
        password: rig.sandbox.users['1004'].password,
        number: '2001',
        sipPort: await freePort('udp'),
        mediaPort: await freePort('udp'),
      });
      const t = await kamailioTimes(klog);
      const id = t.order[before]!;
      sippSetup.push(t.answers.get(id)! - t.invites.get(id)!);
    }
    const s = summary(sippSetup);
    console.log(`sipp first INVITE → 200 OK at Kamailio, n=${s.n}: median ${fmt(s.median)}, p99 ${fmt(s.p99)}`);
    const ratio = b.median / s.median;
    console.log(`ratio (our click → answered) / (sipp INVITE → answered): ${ratio.toFixed(2)}× (target ≤ 3×: ${ratio <= 3 ? 'met' : 'MISSED'})`);
    console.log(`ratio (our INVITE → answered) / (sipp INVITE → answered): ${(ia.median / s.median).toFixed(2)}×`);

    // Incoming: the bot's INVITE at Kamailio → ringing shown in the popup; Answer → audio heard.
    const ringLatency: number[] = [];
    const firstAudio: number[] = [];
    const ctrl = rig.sandbox.users['2001'].ctrl!;
    for (let i = 0; i < 10; i++) {
      const before = (await kamailioTimes(klog)).order.length;
      await baresipCommand(ctrl, 'dial', `sip:1001@${rig.sandbox.domain}`);
      const id = await callCard(rig.popup, 'ringing-in');
      const shownAt = Date.now();
      const t = await kamailioTimes(klog);
      ringLatency.push(shownAt - t.invites.get(t.order[before]!)!);
      const answeredAt = Date.now();
      await clickInCall(rig.popup, id, 'call-answer');
      for (;;) {
        const ear = await rig.worker
          .evaluate(() => (globalThis as unknown as { __voispeedMedia: { engine(m: string, p: unknown): Promise<{ rms: number }> } }).__voispeedMedia.engine('test.analyse', { windowMs: 10 }))
          .catch(() => ({ rms: 0 }));
        if (ear.rms > 0.01) break;
        if (Date.now() - answeredAt > 5000) throw new Error('no audio within 5 s');
        await sleep(20);
      }
      firstAudio.push(Date.now() - answeredAt);
      await baresipCommand(ctrl, 'hangup');
      await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
    }
    const r = summary(ringLatency);
    const f = summary(firstAudio);
    console.log(`far-end INVITE at Kamailio → ringing in the popup, n=${r.n}: median ${fmt(r.median)}, p99 ${fmt(r.p99)}`);
    console.log(`Answer click → audio heard by the extension (analyser, 20 ms polling), n=${f.n}: median ${fmt(f.median)}, p99 ${fmt(f.p99)}`);
  } finally {
    await rig.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
