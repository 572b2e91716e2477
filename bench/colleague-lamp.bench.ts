// Colleagues' lamps (issue 17): a colleague's state changes at the PBX → the lamp changes in the
// popup. The bot 2001 calls 1002 (a watched colleague: baresip answering by hand), 1002 answers,
// the bot hangs up: three changes a call (ringing, on a call, idle), BENCH_CHANGES in all. The
// PBX's moment is Kamailio's own log (TIME … RINGING / ANSWER when the 180 / 200 passes it, TIME …
// BYE when the BYE does); the popup's is a MutationObserver on the lamp. Same machine, same
// clock. Runs in a loopback-only namespace.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baresipCommand } from '../tests/support/baresip-ctrl';
import { startBaresipClient } from '../tests/support/baresip-client';
import { startCallRig } from '../tests/support/call-rig';
import { setColleagues, waitForLamp } from '../tests/support/colleagues';
import { fmt, summary } from './stats';

const CHANGES = Number(process.env.BENCH_CHANGES ?? 50);

interface Seen {
  lamp: string;
  at: number;
}

async function main() {
  const rig = await startCallRig('bench-blf');
  const klog = join(rig.home, 'sandbox', 'kamailio.log');
  const phone = await startBaresipClient({ dir: rig.root, sandbox: rig.sandbox, user: '1002', transport: 'udp', toneHz: 600, answermode: 'manual' });
  try {
    await phone.waitFor(/200 OK/);
    await setColleagues(rig.browser, '1002');
    await waitForLamp(rig.popup, '1002', 'idle');
    await rig.popup.evaluate(() => {
      const seen: Seen[] = ((window as unknown as { __lamps: Seen[] }).__lamps = []);
      new MutationObserver((records) => {
        for (const r of records) {
          const el = r.target as HTMLElement;
          if (el.dataset.ext === '1002' && r.attributeName === 'data-lamp') seen.push({ lamp: el.dataset.lamp ?? '', at: Date.now() });
        }
      }).observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-lamp'] });
    });
    const bot = rig.sandbox.users['2001'].ctrl!;
    const calls = Math.ceil(CHANGES / 3);
    for (let i = 0; i < calls; i++) {
      await baresipCommand(bot, 'dial', `sip:1002@${rig.sandbox.domain}`);
      await waitForLamp(rig.popup, '1002', 'ringing');
      await baresipCommand(phone.ctrl, 'accept');
      await waitForLamp(rig.popup, '1002', 'on-call');
      await baresipCommand(bot, 'hangup');
      await waitForLamp(rig.popup, '1002', 'idle');
    }
    const log = await readFile(klog, 'utf8');
    const pbx: { lamp: string; at: number }[] = [];
    const counted = new Set<string>();
    const lampOf = { RINGING: 'ringing', ANSWER: 'on-call', BYE: 'idle' } as const;
    for (const m of log.matchAll(/TIME (\d+\.\d+) (RINGING|ANSWER|BYE) call-id (\S+)/g)) {
      // A message logged again (a retransmission, a second hop): its first passage counts.
      const key = `${m[2]} ${m[3]}`;
      if (counted.has(key)) continue;
      counted.add(key);
      pbx.push({ lamp: lampOf[m[2] as keyof typeof lampOf], at: Number(m[1]) * 1000 });
    }
    const popup = (await rig.popup.evaluate(() => (window as unknown as { __lamps: Seen[] }).__lamps)).filter((s) => s.lamp !== 'unknown');
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
    await phone.close();
    await rig.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
