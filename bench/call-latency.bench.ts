// Calls (issue "Calls with real two-way audio"): popup "Call" click → INVITE at Kamailio (target
// median ≤ 40 ms), click → answered, against sipp placing the same call through the same Kamailio
// (target ≤ 3× sipp), then far-end INVITE → ringing in the popup and Answer → first audio.
// Runs inside a loopback-only network namespace (scripts/bench.mjs).
import { join } from 'node:path';
import { figure } from './targets';
import { baresipCommand } from '../tests/support/baresip-ctrl';
import { callCard, startCallRig } from '../tests/support/call-rig';
import { hostDialTimes, kamailioTimes, pageClick, ringingShownAt, sippSetupTimes, timedPopupCall, watchRinging } from './call-timing';
import { fmt, summary } from './stats';
import { callStages, engineTrace, printStages } from './stage-trace';

const N = Number(process.env.BENCH_CALLS ?? 50);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  // The host's half of the per-stage trace (stage-trace.ts); the Chromium it starts passes it on.
  process.env.VOISPEED_LOG_LEVEL ??= 'debug';
  const rig = await startCallRig('bench-call');
  const klog = join(rig.home, 'sandbox', 'kamailio.log');
  try {
    const toInvite: number[] = [];
    const toAnswer: number[] = [];
    const toHost: number[] = [];
    const inviteToAnswer: number[] = [];
    const hostLog = join(rig.home, 'logs', 'host.log');
    const dialTimes = () => hostDialTimes(hostLog);
    const stages: Map<string, number>[] = [];
    for (let i = 0; i < N + 3; i++) {
      const c = await timedPopupCall(rig.popup, klog, '2001');
      if (i >= 3) {
        // The first calls warm up the offscreen document and the microphone.
        toInvite.push(c.invite - c.clickedAt);
        toAnswer.push(c.answer - c.clickedAt);
        inviteToAnswer.push(c.answer - c.invite);
        const dials = await dialTimes();
        toHost.push(dials[dials.length - 1]! - c.clickedAt);
        stages.push(await callStages(hostLog, await engineTrace(rig.worker), c.clickedAt, c.invite));
      }
    }
    const a = summary(toInvite);
    const b = summary(toAnswer);
    console.log(`popup click → INVITE at Kamailio, n=${a.n}: median ${fmt(a.median)}, p99 ${fmt(a.p99)}`);
    figure('clickToInvite', a.median, `n=${a.n}`);
    figure('clickToInviteP99', a.p99, `n=${a.n}`);
    console.log(`popup click → 200 OK at Kamailio (answered), n=${b.n}: median ${fmt(b.median)}, p99 ${fmt(b.p99)}`);
    const h = summary(toHost);
    console.log(`  of which click → host starts the call (popup → worker → host), median ${fmt(h.median)}, p99 ${fmt(h.p99)}`);
    printStages(stages);
    const ia = summary(inviteToAnswer);
    console.log(`our first INVITE → 200 OK at Kamailio, n=${ia.n}: median ${fmt(ia.median)}, p99 ${fmt(ia.p99)}`);

    const sippSetup = await sippSetupTimes({ cwd: rig.root, klog, kamailioUdp: rig.sandbox.ports.kamailioUdp, domain: rig.sandbox.domain, password: rig.sandbox.users['1004'].password, n: Math.min(N, 20) });
    const s = summary(sippSetup);
    console.log(`sipp first INVITE → 200 OK at Kamailio, n=${s.n}: median ${fmt(s.median)}, p99 ${fmt(s.p99)}`);
    const ratio = b.median / s.median;
    figure('answeredRatio', ratio, `${fmt(b.median)} / ${fmt(s.median)}`);
    console.log(`ratio (our INVITE → answered) / (sipp INVITE → answered): ${(ia.median / s.median).toFixed(2)}×`);

    // Incoming: the bot's INVITE at Kamailio → ringing shown in the popup; Answer → audio heard.
    const ringLatency: number[] = [];
    const ringSeen: number[] = [];
    const firstAudio: number[] = [];
    const answerStages: Map<string, number>[] = [];
    const audioPolled: number[] = [];
    const ctrl = rig.sandbox.users['2001'].ctrl!;
    for (let i = 0; i < 10; i++) {
      const before = (await kamailioTimes(klog)).order.length;
      await watchRinging(rig.popup);
      await baresipCommand(ctrl, 'dial', `sip:1001@${rig.sandbox.domain}`);
      const id = await callCard(rig.popup, 'ringing-in');
      // When the popup's DOM showed it, and when puppeteer saw it (what this bench measured before issue 19).
      const shownAt = await ringingShownAt(rig.popup);
      const seenAt = Date.now();
      const t = await kamailioTimes(klog);
      ringLatency.push(shownAt - t.invites.get(t.order[before]!)!);
      ringSeen.push(seenAt - t.invites.get(t.order[before]!)!);
      // The click as the page saw it, as for the "Call" click above.
      const answeredAt = await pageClick(rig.popup, `[data-testid=call][data-call-id="${id}"] [data-testid=call-answer]`);
      for (;;) {
        const ear = await rig.worker
          .evaluate(() => (globalThis as unknown as { __voispeedMedia: { engine(m: string, p: unknown): Promise<{ rms: number }> } }).__voispeedMedia.engine('test.analyse', { windowMs: 10 }))
          .catch(() => ({ rms: 0 }));
        if (ear.rms > 0.01) break;
        if (Date.now() - answeredAt > 5000) throw new Error('no audio within 5 s');
        await sleep(20);
      }
      const polledAt = Date.now();
      // When the remote audio first sounded, from the probe's onset watch (audio-probe.ts): the
      // analyse() polling above steps 50 ms at a time over a 170 ms window (the figure before issue 19).
      const heardAt = (
        await rig.worker.evaluate(() => (globalThis as unknown as { __voispeedMedia: { engine(m: string, p: unknown): Promise<{ at: number }> } }).__voispeedMedia.engine('test.firstSound', {}))
      ).at;
      if (!heardAt) throw new Error('the probe saw no sound although analyse() did');
      firstAudio.push(heardAt - answeredAt);
      audioPolled.push(polledAt - answeredAt);
      answerStages.push(await callStages(hostLog, await engineTrace(rig.worker), answeredAt, heardAt, 'audio heard (onset)'));
      await baresipCommand(ctrl, 'hangup');
      await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`);
    }
    const r = summary(ringLatency);
    const f = summary(firstAudio);
    printStages(answerStages, 'per-stage trace, ms after the Answer click');
    const rs = summary(ringSeen);
    console.log(`far-end INVITE → ringing seen by puppeteer's polling (before issue 19 the figure was this), median ${fmt(rs.median)}, p99 ${fmt(rs.p99)}`);
    figure('inviteToRinging', r.median, `n=${r.n}, p99 ${fmt(r.p99)}`);
    const ap = summary(audioPolled);
    console.log(`Answer click → audio found by polling analyse() (the figure before issue 19), median ${fmt(ap.median)}, p99 ${fmt(ap.p99)}`);
    figure('answerToAudio', f.median, `n=${f.n}, p99 ${fmt(f.p99)}; the probe's onset watch, 4 ms steps`);
  } finally {
    await rig.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
