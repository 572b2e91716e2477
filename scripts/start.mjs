// `npm start`: installs what is missing, builds, starts the sandbox PBX (when no other account is
// configured), installs the native host into a sandboxed Chromium profile and opens Chromium with the
// extension on a demo page. Everything lives under .demo/ in this folder; Ctrl-C stops it all.
// Uses only Node built-ins at the top level: it must run before `npm ci` has.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { captureDevices, demoChromiumArgs } from './capture-devices.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const demo = join(root, '.demo');
const home = join(demo, 'home');
const profile = join(demo, 'profile');
const cli = join(root, 'dist/host/voispeed.cjs');
const env = { ...process.env, VOISPEED_HOME: home, PUPPETEER_SKIP_DOWNLOAD: '1' };
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
// `npm start -- --classic`: the sandbox's classic profile (SIP over UDP/TCP/TLS, plain RTP, no rtpengine).
const classic = process.argv.slice(2).includes('--classic');
const unknown = process.argv.slice(2).filter((a) => a !== '--classic');
if (unknown.length) {
  console.error(`usage: npm start [-- --classic]  (unknown: ${unknown.join(' ')})`);
  process.exit(2);
}

function step(title) {
  console.log(`\n▶ ${title}`);
}

let startedSandbox = false;

function must(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env, ...opts });
  if (r.status !== 0) {
    console.error(`\n✖ ${[cmd, ...args].join(' ')} failed (exit ${r.status ?? r.signal})`);
    // Leave nothing running behind a failed start.
    if (startedSandbox) spawnSync(process.execPath, [cli, 'sandbox', 'stop'], { cwd: root, env, stdio: 'inherit' });
    process.exit(1);
  }
}

function voispeed(args, opts = {}) {
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, env, encoding: 'utf8', ...opts });
}

step('System packages (Chromium, Kamailio, rtpengine, baresip)');
must('bash', [join(root, '.ci/install-system-packages.sh'), '--no-packaging']);

if (!existsSync(join(root, 'node_modules/.package-lock.json'))) {
  step('npm ci');
  must('npm', ['ci', '--no-audit', '--no-fund']);
}

step('Build (dist/chrome, dist/firefox, dist/host)');
must('npm', ['run', '--silent', 'build']);

mkdirSync(home, { recursive: true, mode: 0o700 });
const shown = voispeed(['account', 'show']);
const usesSandbox = shown.status === 3 || /\(sandbox\)/.test(shown.stdout);
if (usesSandbox) {
  step(classic ? 'Sandbox PBX on 127.0.0.1, classic profile (Kamailio SIP over UDP/TCP/TLS + baresip, plain RTP)' : 'Sandbox PBX on 127.0.0.1 (Kamailio + rtpengine + baresip)');
  startedSandbox = true;
  // --directory: the sandbox's LDAP directory (1,000 contacts) names the callers (issue 18).
  must(process.execPath, [cli, 'sandbox', 'start', '--directory', ...(classic ? ['--classic'] : [])]);
  // The classic profile's account is a sip: server (UDP); the host's media gateway bridges its plain RTP.
  must(process.execPath, [cli, 'account', 'set', '--sandbox']);
} else {
  step(`Using the configured account: ${shown.stdout.trim()}`);
}

step('Native host for the demo Chromium profile');
must(process.execPath, [cli, 'install', '--browser', 'chromium', '--user-data-dir', profile]);

const page = readFileSync(join(root, 'demo/index.html'));
const server = createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(page);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const demoUrl = `http://127.0.0.1:${server.address().port}/`;

let xvfb;
if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  const display = `:${90 + Math.floor(Math.random() * 100)}`;
  xvfb = spawn('Xvfb', [display, '-screen', '0', '1280x800x24', '-nolisten', 'tcp'], { stdio: 'ignore' });
  env.DISPLAY = display;
  console.log(`(no display found: Chromium runs on a virtual X server ${display})`);
  await new Promise((r) => setTimeout(r, 500));
}

step(`Chromium with the extension on ${demoUrl}`);
const capture = captureDevices();
if (!capture.present) console.log(`(no microphone on this machine: ${capture.why}; Chromium uses its fake audio devices, a beeping microphone)`);
const chromium = existsSync('/usr/lib/chromium/chromium') ? '/usr/lib/chromium/chromium' : 'chromium';
const browser = spawn(
  chromium,
  demoChromiumArgs({ profile, extensionDir: join(root, 'dist/chrome'), url: demoUrl, noSandbox: isRoot, captureDevice: capture.present }),
  { env, stdio: 'ignore' },
);

let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  if (browser.exitCode === null) browser.kill('SIGTERM');
  server.close();
  xvfb?.kill('SIGTERM');
  if (startedSandbox) {
    step('Stopping the sandbox');
    voispeed(['sandbox', 'stop'], { stdio: 'inherit' });
  }
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));
browser.on('exit', () => void shutdown(0));

const deadline = Date.now() + 30_000;
let last = '';
while (Date.now() < deadline && !stopping) {
  const st = voispeed(['status']);
  last = (st.stdout || st.stderr).trim();
  if (st.status === 0) break;
  await new Promise((r) => setTimeout(r, 500));
}
console.log(`\n● ${last}`);
console.log('  The toolbar popup shows the same. Close Chromium or press Ctrl-C to stop everything.');
