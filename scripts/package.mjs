// `npm run package`: what users install, in dist/release/ (README "Install"):
//   voispeed-ui-<version>-chrome.zip    Chrome Web Store / Edge Add-ons upload (no `key`: the stores
//                                       refuse it and assign their own id)
//   voispeed-ui-<version>-chrome-unpacked.zip  the same with the pinned `key`, for Load unpacked
//   voispeed-ui-<version>-firefox.xpi   AMO upload; `web-ext lint` must report no error
//   voispeed-host_<version>_amd64.deb   Debian/Ubuntu host package (scripts/package/deb.mjs)
//   voispeed-host-<version>-x64.msi     Windows per-user installer (scripts/package/msi.mjs)
// `node scripts/package.mjs deb` (or chrome, firefox) builds only those; `--no-build` skips the build.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDeb } from './package/deb.mjs';
import { buildMsi } from './package/msi.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const release = join(root, 'dist/release');
const args = process.argv.slice(2);
const chosen = args.filter((a) => !a.startsWith('--'));
const wanted = (what) => chosen.length === 0 || chosen.includes(what);
for (const a of chosen) {
  if (!['chrome', 'firefox', 'deb', 'msi'].includes(a)) fail(`unknown part ${JSON.stringify(a)} (chrome, firefox, deb, msi)`);
}

function fail(reason) {
  console.error(`voispeed: package: ${reason}`);
  process.exit(1);
}

function run(cmd, cmdArgs, opts = {}) {
  const r = spawnSync(cmd, cmdArgs, { cwd: root, stdio: 'inherit', ...opts });
  if (r.status !== 0) fail(`${[cmd, ...cmdArgs].join(' ')} exited with ${r.status ?? r.signal}`);
  return r;
}

const webExt = join(root, 'node_modules/.bin/web-ext');

function webExtBuild(sourceDir, filename) {
  run(webExt, ['build', '--no-config-discovery', '--source-dir', sourceDir, '--artifacts-dir', release, '--filename', filename, '--overwrite-dest']);
  console.log(`built dist/release/${filename}`);
}

/** AMO runs the same linter on upload: an error here is a rejected upload there. */
function webExtLint(sourceDir) {
  const r = spawnSync(webExt, ['lint', '--no-config-discovery', '--source-dir', sourceDir, '--output', 'json'], { cwd: root, encoding: 'utf8', maxBuffer: 64 << 20 });
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    fail(`web-ext lint printed no report (exit ${r.status}): ${r.stderr}`);
  }
  for (const m of report.warnings ?? []) console.log(`web-ext lint warning: ${m.code} ${m.file ?? ''} ${m.message}`);
  for (const m of report.errors ?? []) console.log(`web-ext lint ERROR: ${m.code} ${m.file ?? ''} ${m.message}`);
  console.log(`web-ext lint: ${report.summary.errors} errors, ${report.summary.warnings} warnings`);
  if (report.summary.errors > 0) fail('web-ext lint found errors in the Firefox build');
}

const t0 = Date.now();
if (!args.includes('--no-build')) run(process.execPath, [join(root, 'scripts/build.mjs')]);
if (chosen.length === 0) rmSync(release, { recursive: true, force: true });
mkdirSync(release, { recursive: true });
if (wanted('chrome')) {
  webExtBuild(join(root, 'dist/chrome'), `voispeed-ui-${pkg.version}-chrome-unpacked.zip`);
  const store = join(release, '.chrome-store');
  rmSync(store, { recursive: true, force: true });
  cpSync(join(root, 'dist/chrome'), store, { recursive: true });
  const manifest = JSON.parse(readFileSync(join(store, 'manifest.json'), 'utf8'));
  delete manifest.key;
  writeFileSync(join(store, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  webExtBuild(store, `voispeed-ui-${pkg.version}-chrome.zip`);
  rmSync(store, { recursive: true, force: true });
}
if (wanted('firefox')) {
  webExtLint(join(root, 'dist/firefox'));
  webExtBuild(join(root, 'dist/firefox'), `voispeed-ui-${pkg.version}-firefox.xpi`);
}
if (wanted('deb')) {
  const out = await buildDeb({ root, release, version: pkg.version }).catch((e) => fail(e.message));
  console.log(`built dist/release/${out}`);
}
if (wanted('msi')) {
  const out = await buildMsi({ root, release, version: pkg.version }).catch((e) => fail(e.message));
  console.log(`built dist/release/${out.name}`);
}
console.log(`package took ${((Date.now() - t0) / 1000).toFixed(1)} s`);
