// `npm run bench [name]`: runs the benchmarks under bench/ (each prints its numbers). They are
// bundled with esbuild on the fly, so they run on the system node like the product does.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const wanted = process.argv[2];
const out = mkdtempSync(join(tmpdir(), 'voispeed-bench-'));
const all = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts'));
// A name that is a whole benchmark's runs only that one (`call-latency` is also part of
// `gateway-call-latency`); any other text runs every benchmark whose file name contains it.
const exact = all.filter((f) => f === `${wanted}.bench.ts`);
const benches = exact.length ? exact : all.filter((f) => !wanted || f.includes(wanted));
if (!benches.length) {
  console.error(`no benchmark matches ${wanted}`);
  process.exit(2);
}
let failed = 0;
// Each benchmark appends the issue-19 figures it measured here (bench/targets.ts).
const results = join(out, 'figures.jsonl');
for (const file of benches) {
  const outfile = join(out, file.replace(/\.ts$/, '.cjs'));
  await build({
    entryPoints: [join(root, 'bench', file)],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
    define: { __APP_VERSION__: '"bench"' },
  });
  console.log(`\n=== ${file}`);
  // Benchmarks with media run where no packet can leave the machine (DESIGN section 9).
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const ns = ['unshare', ...(asRoot ? ['-n'] : ['-rn']), '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh'];
  const r = spawnSync(ns[0], [...ns.slice(1), process.execPath, outfile], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_PATH: join(root, 'node_modules'), VOISPEED_BENCH_RESULTS: results },
  });
  if (r.status !== 0) failed++;
}
if (existsSync(results)) {
  const rows = readFileSync(results, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const fmt = (v, unit) => (v === null || !Number.isFinite(v) ? 'not measured' : unit === '×' ? `${v.toFixed(2)}×` : `${v.toFixed(v >= 100 || Number.isInteger(v) ? 0 : 1)} ${unit}`);
  console.log('\n=== figures and targets');
  for (const r of rows) console.log(`${r.met ? 'met   ' : 'MISSED'}  ${r.label}: ${fmt(r.value, r.unit)} (target ≤ ${fmt(r.max, r.unit)})`);
  console.log(`${rows.filter((r) => r.met).length} of ${rows.length} figures met`);
}
process.exit(failed ? 1 : 0);
