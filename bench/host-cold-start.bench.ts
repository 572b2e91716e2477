// Host cold start to `registered` on the sandbox (target ≤ 600 ms): the launcher the browser starts,
// which starts the host; a browser reconnecting to a running host (a worker restart); and the RSS of
// both processes when idle (target ≤ 60 MB for the host).
import { existsSync, readFileSync } from 'node:fs';
import { figure } from './targets';
import { join } from 'node:path';
import { startSandbox, stopSandbox } from '../native-host/src/sandbox';
import { SettingsStore } from '../native-host/src/settings/settings-store';
import { spawnHost } from '../tests/support/host-process';
import { tempDir } from '../tests/support/temp';
import { fmt, summary } from './stats';

const RUNS = Number(process.env.BENCH_RUNS ?? 15);

function statusMb(pid: number, field: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith(`${field}:`));
  return Number(line?.replace(/\D+/g, '')) / 1024;
}

async function main() {
  const dir = tempDir('bench-cold');
  const sandboxDir = join(dir.path, 'home', 'sandbox');
  const sandbox = await startSandbox({ dir: sandboxDir });
  try {
    await new SettingsStore(join(dir.path, 'home', 'settings.json')).update((s) => ({ ...s, account: sandbox.account }));
    const samples: number[] = [];
    const reattach: number[] = [];
    let rss = { launcher: NaN, host: NaN };
    const home = join(dir.path, 'home');
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const launcher = spawnHost(home);
      const hello = (await launcher.hello()).result as { pid: number };
      await launcher.frames.waitFor((m) => m?.event === 'registration' && m.data?.state === 'registered', 10_000, 'registered');
      samples.push(performance.now() - t0);
      // A second browser connection to the same, running host: what a worker restart costs.
      launcher.child.stdin!.end();
      await launcher.exited;
      const t1 = performance.now();
      const again = spawnHost(home);
      const helloAgain = (await again.hello()).result as { pid: number };
      await again.frames.waitFor((m) => m?.event === 'registration' && m.data?.state === 'registered', 10_000, 'registered again');
      reattach.push(performance.now() - t1);
      if (helloAgain.pid !== hello.pid) throw new Error('the reconnect started a new host instead of reaching the running one');
      if (i === RUNS - 1) {
        await new Promise((r) => setTimeout(r, 5000));
        rss = { launcher: statusMb(again.child.pid!, 'VmRSS'), host: statusMb(hello.pid, 'VmRSS') };
        for (const [who, pid] of [['launcher', again.child.pid!], ['host', hello.pid]] as const) {
          const parts = ['RssAnon', 'RssFile', 'RssShmem'].map((f) => `${f} ${statusMb(pid, f).toFixed(1)} MB`);
          console.log(`${who} RSS breakdown: ${parts.join(', ')}`);
        }
      }
      again.child.stdin!.end();
      await again.exited;
      // Cold means no host: wait for it to leave (3 s after the last browser).
      const deadline = Date.now() + 10_000;
      while (existsSync(`/proc/${hello.pid}`) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    }
    const s = summary(samples);
    const r = summary(reattach);
    console.log(`host cold start (launcher spawn → host started → registered), n=${s.n}: median ${fmt(s.median)}, p99 ${fmt(s.p99)}, min ${fmt(s.min)}, max ${fmt(s.max)}`);
    figure('hostColdStart', s.median, `n=${s.n}, p99 ${fmt(s.p99)}`);
    console.log(`browser reconnect to the running host (launcher spawn → registration pushed), n=${r.n}: median ${fmt(r.median)}, p99 ${fmt(r.p99)}`);
    figure('hostRss', rss.host, 'idle 5 s after registering');
    figure('launcherRss', rss.launcher);
  } finally {
    await stopSandbox(sandboxDir);
    dir.remove();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
