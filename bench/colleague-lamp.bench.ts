// Colleagues' lamps (issue 17): a colleague's state changes at the PBX → the lamp changes in the
// popup. The bot 2001 calls the bot 3001 (a watched colleague) and hangs up, BENCH_CHANGES times
// in all (each call is two changes: on a call, idle). The PBX's moment is Kamailio's own log
// (TIME … ANSWER when the 200 OK passes it, TIME … BYE when the BYE does); the popup's is a
// MutationObserver on the lamp. Same machine, same clock. Runs in a loopback-only namespace.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baresipCommand } from '../tests/support/baresip-ctrl';
import { startCallRig } from '../tests/support/call-rig';
import { setColleagues, waitForLamp } from '../tests/support/colleagues';
import { fmt, summary } from './stats';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);
/**
 * How long each state lasts, as a real call would. With back-to-back calls of ~15 ms the sandbox's
 * own Kamailio lost a state: pua's PUBLISHes race (412 on a stale ETag) and once the PBX itself
 * kept "confirmed" after the BYE, so no watcher could be right. With 300 ms the 412s still show
 * in kamailio.log but every state arrived (50 of 50).
 */
const DWELL_MS = Number(process.env.BENCH_DWELL_MS ?? 300);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Seen {
  lamp: string;
  at: number;
}

async function main() {
  const rig = await startCallRig('bench-blf');
  const klog = join(rig.home, 'sandbox', 'kamailio.log');
  try {
    await setColleagues(rig.browser, '3001');
    await waitForLamp(rig.popup, '3001', 'idle');
    await rig.popup.evaluate(() => {
      const seen: Seen[] = ((window as unknown as { __lamps: Seen[] }).__lamps = []);
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target as HTMLElement;
          if (el.dataset.ext === '3001' && r.attributeName === 'data-lamp') seen.push({ lamp: el.dataset.lamp ?? '', at: Date.now() });
        }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-lamp'] });
    });
    const bot = rig.sandbox.users['2001'].ctrl!;
    const calls = Math.ceil(CHANGES / 2);
    for (let i = 0; i < calls; i++) {
      await baresipCommand(bot, 'dial', `sip:3001@${rig.sandbox.domain}`);
      await waitForLamp(rig.popup, '3001', 'on-call');
      await sleep(DWELL_MS);
      await baresipCommand(bot, 'hangup');
      await waitForLamp(rig.popup, '3001', 'idle');
      await sleep(DWELL_MS);
    }
    const log = await readFile(klog, 'utf8');
    const pbx: { lamp: string; at: number }[] = [];
    const byeSeen = new Set<string>();
    for (const m of log.matchAll(/TIME (\d+\.\d+) (ANSWER|BYE) call-id (\S+)/g)) {
      if (m[2] === 'BYE') {
        // A BYE is logged again on each retransmission or second hop: the first counts.
        if (byeSeen.has(m[3]!)) continue;
        byeSeen.add(m[3]!);
      }
      pbx.push({ lamp: m[2] === 'ANSWER' ? 'on-call' : 'idle', at: Number(m[1]) * 1000 });
    }
    const popup = (await rig.popup.evaluate(() => (window as unknown as { __lamps: Seen[] }).__lamps)).filter((s) => s.lamp === 'on-call' || s.lamp === 'idle');
    const samples: number[] = [];
    let j = 0;
    for (const change of pbx) {
      while (j < popup.length && (popup[j]!.lamp !== change.lamp || popup[j]!.at < change.at)) j++;
      if (j >= popup.length) break;
      samples.push(popup[j]!.at - change.at);
      j++;
    }
    const s = summary(samples.slice(0, CHANGES));
    console.log(`colleague lamp, PBX state change → popup (${s.n} changes): p50 ${fmt(s.median)}, p99 ${fmt(s.p99)}, min ${fmt(s.min)}, max ${fmt(s.max)}`);
    if (s.n < CHANGES) throw new Error(`only ${s.n} of ${CHANGES} changes matched`);
  } finally {
    await rig.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
