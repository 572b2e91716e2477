// Host cold start to `registered` on the sandbox (target ≤ 600 ms) and host RSS when idle (≤ 60 MB).
import { readFileSync } from 'node:fs';
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
    let rss = NaN;
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const host = spawnHost(join(dir.path, 'home'));
      await host.hello();
      await host.frames.waitFor((m) => m?.event === 'registration' && m.data?.state === 'registered', 10_000, 'registered');
      samples.push(performance.now() - t0);
      if (i === RUNS - 1) {
        await new Promise((r) => setTimeout(r, 5000));
        rss = statusMb(host.child.pid!, 'VmRSS');
        const parts = ['RssAnon', 'RssFile', 'RssShmem'].map((f) => `${f} ${statusMb(host.child.pid!, f).toFixed(1)} MB`);
        console.log(`RSS breakdown: ${parts.join(', ')}`);
      }
      host.child.stdin!.end();
      await host.exited;
    }
    const s = summary(samples);
    console.log(`host cold start (spawn → registered), n=${s.n}: median ${fmt(s.median)}, p99 ${fmt(s.p99)}, min ${fmt(s.min)}, max ${fmt(s.max)}`);
    console.log(`target ≤ 600 ms: ${s.median <= 600 ? 'met' : 'MISSED'}`);
    console.log(`host RSS idle 5 s after registering: ${rss.toFixed(1)} MB (target ≤ 60 MB: ${rss <= 60 ? 'met' : 'MISSED'})`);
  } finally {
    await stopSandbox(sandboxDir);
    dir.remove();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
