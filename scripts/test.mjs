// `npm test`: everything CI runs. Builds, type-checks, runs the unit tests, then the end-to-end tests
// inside a network namespace that has only loopback (DESIGN section 9), and ends with the line
// `N passed, N failed`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const only = process.argv[2]; // optional: unit | e2e | wine
const out = mkdtempSync(join(tmpdir(), 'voispeed-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(cmd, args, opts = {}) {
  console.log(`\n$ ${[cmd, ...args].join(' ')}`);
  return spawnSync(cmd, args, { cwd: root, stdio: 'inherit', ...opts }).status ?? 1;
}

function vitest(project, prefix = []) {
  const report = join(out, `${project}.json`);
  const code = run(prefix[0] ?? 'npx', [...prefix.slice(1), ...(prefix.length ? ['npx'] : []), 'vitest', 'run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  if (!existsSync(report)) {
    totals.failed += 1;
    failures.push(`${project}: vitest produced no report (exit ${code})`);
    return;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  totals.passed += r.numPassedTests;
  totals.failed += r.numFailedTests;
  totals.skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  // A file that fails to load counts as a failure even when no test in it ran.
  for (const file of r.testResults ?? []) {
    if (file.status === 'failed' && (file.assertionResults ?? []).every((a) => a.status !== 'failed')) {
      totals.failed += 1;
      failures.push(`${project}: ${file.name}: ${String(file.message).split('\n')[0]}`);
    }
  }
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Runs a command in a fresh network namespace with only `lo` up (needs root or user namespaces). */
function inLoopbackNamespace() {
  return ['unshare', ...(asRoot ? ['-n'] : ['-rn']), '--', 'sh', '-c', 'ip link set lo up && exec "$@"', 'sh'];
}

/** Like inLoopbackNamespace, plus a veth pair with no way out (tests/e2e-veth/README.md). */
function inVethNamespace() {
  const setup = [
    'ip link set lo up',
    'ip link add vs0 type veth peer name vs1',
    'ip addr add 192.0.2.10/32 dev vs0',
    'ip link set vs0 up',
    'ip link set vs1 up',
    'ip route add default dev vs0',
  ].join(' && ');
  return ['unshare', ...(asRoot ? ['-n'] : ['-rn']), '--', 'sh', '-c', `${setup} && exec "$@"`, 'sh'];
}

/** The Windows MSI under Wine (tests/wine/run.mjs). Skipped only off CI on a machine without Wine. */
function wineChecks() {
  if (spawnSync('sh', ['-c', 'command -v wine && command -v wineserver'], { stdio: 'ignore' }).status !== 0) {
    if (process.env.CI) {
      totals.failed += 1;
      failures.push('wine: not installed (CI installs it with .ci/install-system-packages.sh)');
    } else {
      console.log('\nwine: SKIPPED, wine is not installed (apt-get install wine64 wine; CI runs these checks)');
      totals.skipped += 1;
    }
    return;
  }
  const report = join(out, 'wine.json');
  const code = run('node', ['tests/wine/run.mjs', '--json', report]);
  if (!existsSync(report)) {
    totals.failed += 1;
    failures.push(`wine: tests/wine/run.mjs produced no report (exit ${code})`);
    return;
  }
  const r = JSON.parse(readFileSync(report, 'utf8'));
  totals.passed += r.passed;
  totals.failed += r.failed;
  if (r.failed) failures.push(`wine: ${r.failed} Windows check(s) failed (see above)`);
}

if (!only || only === 'unit' || only === 'e2e') {
  if (run('npm', ['run', '--silent', 'build']) !== 0) {
    console.log('\nbuild failed');
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
if (!only || only === 'unit') {
  if (run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']) === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push('typecheck: tsc --noEmit reported errors');
  }
  vitest('unit');
}
if (!only || only === 'e2e') {
  // The release packages (dist/release): the .deb's end-to-end test installs what users get.
  if (run('npm', ['run', '--silent', 'package', '--', '--no-build']) === 0) totals.passed += 1;
  else {
    totals.failed += 1;
    failures.push('package: npm run package failed (see above)');
  }
  vitest('e2e', inLoopbackNamespace());
  vitest('e2e-veth', inVethNamespace());
  wineChecks();
}

if (only === 'wine') wineChecks();
if (failures.length) console.log(`\n${failures.join('\n')}`);
const skipped = totals.skipped ? `, ${totals.skipped} skipped` : '';
console.log(`\n${totals.passed} passed, ${totals.failed} failed${skipped}`);
process.exit(totals.failed > 0 || totals.passed === 0 ? 1 : 0);
