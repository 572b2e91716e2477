// Runs the Windows checks (tests/wine/win-tests.ts) under Wine against the built MSI:
//   node tests/wine/run.mjs [--json FILE]
// Needs dist/release/voispeed-host-<version>-x64.msi (npm run package) and wine, wixl's MSI runs
// through Wine's msiexec. A fresh Wine prefix each run (about 8 s), reported as Windows 10 (Node 22
// refuses Windows 7, Wine's default). Prints each check and `N passed, N failed`.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildMsi } from '../../scripts/package/msi.mjs';
import { nodeRuntime } from '../../scripts/package/node-runtime.mjs';

const root = dirname(dirname(dirname(fileURLToPath(import.meta.url))));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const msi = join(root, 'dist/release', `voispeed-host-${pkg.version}-x64.msi`);
const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;

/** Wine maps the Linux root to drive Z:. */
const winPath = (p) => `Z:${p.replace(/\//g, '\\')}`;

function report(summary) {
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(summary));
  console.log(`\nwine: ${summary.passed} passed, ${summary.failed} failed`);
  process.exit(summary.failed > 0 || summary.passed === 0 ? 1 : 0);
}

if (!existsSync(msi)) {
  console.log(`wine: ${msi} is missing: run npm run package first`);
  report({ passed: 0, failed: 1 });
}

const work = mkdtempSync(join(tmpdir(), 'vs-wine-'));
const env = {
  ...process.env,
  WINEPREFIX: join(work, 'prefix'),
  WINEDEBUG: '-all',
  // No Mono or Gecko installer prompts (they would need the network).
  WINEDLLOVERRIDES: 'mscoree,mshtml=',
};
delete env.DISPLAY;
const wine = (args, opts = {}) => spawnSync('wine', args, { env, encoding: 'utf8', timeout: 600_000, ...opts });

const t0 = Date.now();
await build({
  entryPoints: [join(root, 'tests/wine/win-tests.ts')],
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  outfile: join(work, 'win-tests.cjs'),
  logLevel: 'warning',
  external: ['bufferutil', 'utf-8-validate', 'uiohook-napi'],
});
const nodeExe = join(nodeRuntime(root, 'win'), 'bin/node.exe');
// The next version of the same MSI, for the upgrade-in-place check.
const [major, minor, patch] = pkg.version.split('.').map(Number);
const upgrade = await buildMsi({ root, release: work, version: `${major}.${minor}.${patch + 1}` });
spawnSync('wineserver', ['-p', '120'], { env });
spawnSync('wineboot', ['--init'], { env, stdio: 'ignore' });
wine(['winecfg', '-v', 'win10']);
const prefixMs = Date.now() - t0;

const resultFile = join(work, 'result.json');
const log = join(work, 'win-tests.log');
// Output to a file: Wine's node.exe cannot write to a Linux pipe (EBADF).
const cliBundle = join(root, 'dist/host/voispeed.cjs');
const r = spawnSync('sh', ['-c', 'wine "$1" "$2" "$3" "$4" "$5" "$6" > "$7" 2>&1', 'sh', winPath(nodeExe), winPath(join(work, 'win-tests.cjs')), winPath(msi), winPath(resultFile), winPath(cliBundle), winPath(join(work, upgrade.name)), log], {
  env,
  timeout: 900_000,
});
const output = existsSync(log) ? readFileSync(log, 'utf8') : '';
spawnSync('wineserver', ['-k'], { env });

let passed = 0;
let failed = 0;
if (!existsSync(resultFile)) {
  console.log(`wine: the Windows checks wrote no result (exit ${r.status ?? r.signal}):\n${output}`);
  failed = 1;
} else {
  const { results, measures } = JSON.parse(readFileSync(resultFile, 'utf8'));
  for (const c of results) {
    console.log(`${c.ok ? '✓' : '✗'} wine: ${c.name} (${c.ms} ms)`);
    if (!c.ok) console.log(`    ${c.error.split('\n').join('\n    ')}`);
    if (c.ok) passed++;
    else failed++;
  }
  console.log(`wine: prefix ${prefixMs} ms; ${JSON.stringify(measures)}`);
  if (failed && output.trim()) console.log(`wine: node.exe output:\n${output}`);
}
rmSync(work, { recursive: true, force: true });
report({ passed, failed });
