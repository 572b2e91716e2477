// Native-messaging round trip service worker → host → worker, in Chromium with the built extension.
// Target: median ≤ 2 ms.
import { join } from 'node:path';
import { install } from '../native-host/src/install';
import { extensionWorker, launchChromium } from '../tests/support/chromium';
import { repoRoot } from '../tests/support/host-process';
import { tempDir } from '../tests/support/temp';
import { PROTOCOL_VERSION } from '../shared/protocol';
import { fmt, summary } from './stats';

const root = repoRoot;
const N = Number(process.env.BENCH_N ?? 2000);

async function main() {
  const dir = tempDir('bench-rt');
  const home = join(dir.path, 'home');
  const profile = join(dir.path, 'profile');
  await install({
    bundleDir: join(root, 'dist/host'),
    browsers: ['chromium'],
    userDataDir: profile,
    env: { ...process.env, VOISPEED_HOME: home },
    log: () => undefined,
  });
  const browser = await launchChromium({ userDataDir: profile, extensionDir: join(root, 'dist/chrome') });
  try {
    const worker = await extensionWorker(browser);
    const samples = await worker.evaluate(async (n: number) => {
      // A second port to the host, opened from the extension's own worker: the real path.
      const port = chrome.runtime.connectNative('voispeed.ui');
      const waiting = new Map<number, () => void>();
      port.onMessage.addListener((m: { id?: number }) => {
        if (typeof m.id === 'number') waiting.get(m.id)?.();
      });
      const call = (id: number, method: string, params?: unknown) =>
        new Promise<void>((resolve) => {
          waiting.set(id, resolve);
          port.postMessage({ id, method, params });
        });
      await call(1, 'hello', { protocol: PROTOCOL_VERSION, app: 'bench', client: 'extension' });
      for (let i = 0; i < 200; i++) await call(10 + i, 'ping', { t: i });
      const out: number[] = [];
      for (let i = 0; i < n; i++) {
        const t0 = performance.now();
        await call(1000 + i, 'ping', { t: i });
        out.push(performance.now() - t0);
      }
      port.disconnect();
      return out;
    }, N);
    const s = summary(samples);
    console.log(`native round trip (worker → host → worker), n=${s.n}: median ${fmt(s.median)}, p99 ${fmt(s.p99)}, min ${fmt(s.min)}, max ${fmt(s.max)}`);
    console.log(`target median ≤ 2 ms: ${s.median <= 2 ? 'met' : 'MISSED'}`);
  } finally {
    await browser.close();
    dir.remove();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
