// Direct SIP (issue 15): popup "Call" click → INVITE over UDP at the classic sandbox's Kamailio,
// the call going through the host's media gateway (the browser's offer, a port pair, plain RTP
// SDP), against sipp placing the same call over UDP through the same Kamailio. Prints both and
// the ratios. Runs inside a loopback-only network namespace (scripts/bench.mjs).
import { join } from 'node:path';
import { startClassicCallRig } from '../tests/support/call-rig';
import { hostDialTimes, sippSetupTimes, timedPopupCall } from './call-timing';
import { fmt, summary } from './stats';
import { callStages, engineTrace, printStages } from './stage-trace';

const N = Number(process.env.BENCH_CALLS ?? 30);

async function main() {
  // The host's half of the per-stage trace (stage-trace.ts).
  process.env.VOISPEED_LOG_LEVEL ??= 'debug';
  const rig = await startClassicCallRig('bench-gw-call', 'udp');
  const klog = join(rig.home, 'sandbox', 'kamailio.log');
  try {
    const toInvite: number[] = [];
    const toAnswer: number[] = [];
    const inviteToAnswer: number[] = [];
    const hostToInvite: number[] = [];
    const stages: Map<string, number>[] = [];
    for (let i = 0; i < N + 3; i++) {
      const c = await timedPopupCall(rig.popup, klog, '2001');
      // The first calls warm up the offscreen document, the microphone and werift's loading.
      if (i < 3) continue;
      toInvite.push(c.invite - c.clickedAt);
      toAnswer.push(c.answer - c.clickedAt);
      inviteToAnswer.push(c.answer - c.invite);
      hostToInvite.push(c.invite - (await hostDialTimes(join(rig.home, 'logs', 'host.log'))).at(-1)!);
      stages.push(await callStages(join(rig.home, 'logs', 'host.log'), await engineTrace(rig.worker), c.clickedAt, c.invite));
    }
    printStages(stages);
    const a = summary(toInvite);
    const b = summary(toAnswer);
    const ia = summary(inviteToAnswer);
    console.log(`popup click → INVITE over UDP at Kamailio (media gateway), n=${a.n}: median ${fmt(a.median)}, p99 ${fmt(a.p99)}`);
    const h = summary(hostToInvite);
    console.log(`  of which the host starts the call → INVITE at Kamailio (browser offer + gateway SDP), median ${fmt(h.median)}, p99 ${fmt(h.p99)}`);
    console.log(`popup click → 200 OK at Kamailio (answered), n=${b.n}: median ${fmt(b.median)}, p99 ${fmt(b.p99)}`);
    console.log(`our first INVITE → 200 OK at Kamailio, n=${ia.n}: median ${fmt(ia.median)}, p99 ${fmt(ia.p99)}`);
    const sipp = summary(await sippSetupTimes({ cwd: rig.root, klog, kamailioUdp: rig.sandbox.ports.kamailioUdp, domain: rig.sandbox.domain, password: rig.sandbox.users['1004'].password, n: Math.min(N, 20) }));
    console.log(`sipp over UDP, first INVITE → 200 OK at Kamailio, n=${sipp.n}: median ${fmt(sipp.median)}, p99 ${fmt(sipp.p99)}`);
    console.log(`ratio (our click → answered) / (sipp INVITE → answered): ${(b.median / sipp.median).toFixed(2)}×`);
    console.log(`ratio (our INVITE → answered) / (sipp INVITE → answered): ${(ia.median / sipp.median).toFixed(2)}×`);
  } finally {
    await rig.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
