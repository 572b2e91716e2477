// 200 calls in a row through the real browser media path: host RSS growth (target ≤ 10 %) and no
// peer connection left open in the browser afterwards.
import { readFileSync } from 'node:fs';
import { figure } from './targets';
import { join } from 'node:path';
import type { CallInfo } from '../shared/protocol';
import { connectControl } from '../native-host/src/control/control-client';
import { startCallRig } from '../tests/support/call-rig';

const CALLS = Number(process.env.BENCH_SOAK_CALLS ?? 200);

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  return Number(line?.replace(/\D+/g, '')) / 1024;
}

async function main() {
  // The host inherits the browser's environment: --expose-gc lets `status {gc}` measure live memory.
  const rig = await startCallRig('bench-soak', { NODE_OPTIONS: '--expose-gc' });
  const client = await connectControl(join(rig.home, 'run', 'control.sock'));
  try {
    const pid = (await client.request('status')).host.pid;
    const waiting = new Map<string, { state: string; resolve: () => void }>();
    // The states each call has shown: the call's events can arrive in the same read as the reply
    // to call.dial, before anyone waits for them.
    const seen = new Set<string>();
    client.onEvent((event, data) => {
      if (event !== 'call') return;
      const call = data as CallInfo;
      seen.add(`${call.id}:${call.state}`);
      const w = waiting.get(`${call.id}:${call.state}`);
      w?.resolve();
    });
    const reach = (id: string, state: string) =>
      new Promise<void>((resolve, reject) => {
        if (seen.has(`${id}:${state}`)) return resolve();
        const timer = setTimeout(() => reject(new Error(`call ${id} never reached ${state}`)), 10_000);
        waiting.set(`${id}:${state}`, { state, resolve: () => (clearTimeout(timer), resolve()) });
      });
    let baseline = 0;
    let heapBaseline = 0;
    const samples: string[] = [];
    const t0 = Date.now();
    for (let i = 1; i <= CALLS; i++) {
      const { call } = await client.request('call.dial', { number: '2001', source: 'cli' });
      await reach(call.id, 'active');
      const ended = reach(call.id, 'ended');
      await client.request('call.hangup', { id: call.id });
      await ended;
      if (i === 10) {
        await client.request('status', { gc: true });
        baseline = rssMb(pid);
        heapBaseline = (await client.request('status', { gc: true })).host.memory!.heapUsed;
      }
      if (i % 50 === 0) {
        const mem = (await client.request('status', { gc: true })).host.memory!;
        samples.push(`${i}: RSS ${rssMb(pid).toFixed(1)} MB, heap used ${(mem.heapUsed / 1048576).toFixed(1)} MB`);
      }
    }
    // JsSIP keeps each finished transaction for up to 32 s (RFC 3261 timers); let them expire.
    await new Promise((r) => setTimeout(r, Number(process.env.BENCH_SOAK_SETTLE_MS ?? 35_000)));
    const final = rssMb(pid);
    const settled = (await client.request('status', { gc: true })).host.memory!;
    console.log(`host every 50 calls: ${samples.join('; ')}`);
    console.log(`after settling: RSS ${final.toFixed(1)} MB, heap used ${(settled.heapUsed / 1048576).toFixed(1)} MB`);
    const growth = ((final - baseline) / baseline) * 100;
    const state = (await rig.worker.evaluate(() =>
      (globalThis as unknown as { __voispeedMedia: { engine(m: string, p: unknown): Promise<unknown> } }).__voispeedMedia.engine('test.state', {}),
    )) as { pcs: unknown[] };
    console.log(`${CALLS} calls in ${((Date.now() - t0) / 1000).toFixed(1)} s through the browser's media engine`);
    console.log(`host RSS after call 10: ${baseline.toFixed(1)} MB, after call ${CALLS}: ${final.toFixed(1)} MB`);
    figure('soakRssGrowth', growth, `${CALLS} calls`);
    const heapGrowth = ((settled.heapUsed - heapBaseline) / heapBaseline) * 100;
    console.log(`live heap after GC: after call 10 ${(heapBaseline / 1048576).toFixed(1)} MB, after settling ${(settled.heapUsed / 1048576).toFixed(1)} MB (${heapGrowth.toFixed(1)} %)`);
    console.log(`peer connections open in the browser afterwards: ${state.pcs.length} (target 0: ${state.pcs.length === 0 ? 'met' : 'MISSED'})`);
  } finally {
    client.close();
    await rig.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
