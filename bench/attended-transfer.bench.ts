// Attended transfer (issue 17): the caller (sandbox bot 2001) calls the user in Chromium, who
// consults 3001 and completes. Measured: Complete click → the caller's INVITE to the target
// answered at Kamailio (caller connected to target), and Complete click → both of our legs shown
// ended in the popup; p50 over N transfers. Also Consult click → target answered. Runs inside a
// loopback-only network namespace (scripts/bench.mjs).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baresipCommand } from '../tests/support/baresip-ctrl';
import { callCard, clickInCall, startCallRig } from '../tests/support/call-rig';
import { fmt, summary } from './stats';

const N = Number(process.env.BENCH_TRANSFERS ?? 20);

/** Kamailio's answer times (epoch ms) of the INVITEs carrying a Replaces (the REFER's INVITE), by call-id. */
async function replacesAnswers(logFile: string): Promise<number[]> {
  const text = await readFile(logFile, 'utf8');
  const replacing = new Set<string>();
  const out: number[] = [];
  for (const m of text.matchAll(/TIME (\d+\.\d+) (INVITE \S+|ANSWER) call-id (\S+)/g)) {
    if (m[2]!.startsWith('INVITE')) {
      if (m[2]!.includes('Replaces=')) replacing.add(m[3]!);
    } else if (replacing.delete(m[3]!)) out.push(Number(m[1]) * 1000);
  }
  return out;
}

async function main() {
  const rig = await startCallRig('bench-transfer');
  const klog = join(rig.home, 'sandbox', 'kamailio.log');
  const card = (id: string) => `[data-testid=call][data-call-id="${id}"]`;
  try {
    const consults: number[] = [];
    const connected: number[] = [];
    const ended: number[] = [];
    for (let i = 0; i < N; i++) {
      await baresipCommand(rig.sandbox.users['2001'].ctrl!, 'dial', `sip:1001@${rig.sandbox.domain}`);
      const id = await callCard(rig.popup, 'ringing-in');
      await clickInCall(rig.popup, id, 'call-answer');
      await rig.popup.waitForSelector(`${card(id)}[data-state=active]`);
      await rig.popup.type(`${card(id)} [data-testid=call-transfer-input]`, '3001');
      const c0 = performance.now();
      await clickInCall(rig.popup, id, 'call-consult');
      await rig.popup.waitForSelector(`${card(id)} [data-testid=attended-transfer][data-phase=talking]`, { timeout: 15_000 });
      consults.push(performance.now() - c0);
      const before = (await replacesAnswers(klog)).length;
      const t0 = Date.now();
      const p0 = performance.now();
      await clickInCall(rig.popup, id, 'call-transfer-complete');
      await rig.popup.waitForFunction(() => document.querySelectorAll('[data-testid=call]:not([data-state=ended])').length === 0, { timeout: 15_000, polling: 'mutation' });
      ended.push(performance.now() - p0);
      let answers = await replacesAnswers(klog);
      for (let k = 0; answers.length <= before && k < 50; k++) {
        await new Promise((r) => setTimeout(r, 100));
        answers = await replacesAnswers(klog);
      }
      if (answers.length > before) connected.push(answers[answers.length - 1]! - t0);
      await baresipCommand(rig.sandbox.users['3001'].ctrl!, 'hangup');
      // Ended cards linger 4 s in the popup: wait them out so the next round's selectors are fresh.
      await rig.popup.waitForFunction(() => document.querySelectorAll('[data-testid=call]').length === 0, { timeout: 15_000 });
    }
    const c = summary(consults);
    const k = summary(connected);
    const e = summary(ended);
    console.log(`Consult click → target answered (popup), n=${c.n}: p50 ${fmt(c.median)}, p99 ${fmt(c.p99)}`);
    console.log(`Complete click → caller connected to target (200 OK of the Replaces INVITE at Kamailio), n=${k.n}: p50 ${fmt(k.median)}, p99 ${fmt(k.p99)}`);
    console.log(`Complete click → both of our legs ended (popup), n=${e.n}: p50 ${fmt(e.median)}, p99 ${fmt(e.p99)}`);
  } finally {
    await rig.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
