// voispeed: commands (issue 6): `voispeed call 2001` invoked → INVITE at Kamailio, median over 20,
// and how much of it is Node start-up: `node -e 0`, the CLI bundle loading (`voispeed --help`) and a
// CLI round trip to the host (`voispeed status`). Runs against the real host in Chromium and the
// sandbox PBX, inside a loopback-only network namespace (scripts/bench.mjs). When `npm run package`
// built the .deb, the same `voispeed call` with the package's own Node 22 and CLI (extracted with
// dpkg-deb -x; /usr/bin/voispeed is `exec /usr/lib/voispeed/node /usr/lib/voispeed/voispeed.cjs`),
// against `node dist/host/voispeed.cjs` on the system Node (issue 16).
import { execFileSync, spawn } from 'node:child_process';
import { figure } from './targets';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startCallRig } from '../tests/support/call-rig';
import { cliBundle } from '../tests/support/host-process';
import { hangUpAll } from '../tests/fixtures/numbers-e2e-helpers';
import { fmt, summary } from './stats';

const fullCli = join(dirname(cliBundle), 'voispeed-cli.cjs');
const N = Number(process.env.BENCH_CLI_CALLS ?? 20);
const WARMUP = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wall time from spawn to exit, and the exit code. */
function timed(args: string[], env: NodeJS.ProcessEnv, node = process.execPath): Promise<{ ms: number; code: number | null; startedAt: number; out: string }> {
  return new Promise((resolve, reject) => {
    const startedAt = Date.now();
    const t0 = performance.now();
    let out = '';
    const child = spawn(node, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ ms: performance.now() - t0, code, startedAt, out }));
  });
}

/** Like repeat, for a command whose expected exit code is not 0. */
async function repeatCode(label: string, args: string[], env: NodeJS.ProcessEnv, code: number): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const r = await timed(args, env);
    if (r.code !== code) throw new Error(`${label} exited ${String(r.code)}, not ${code}: ${r.out}`);
    if (i >= WARMUP) samples.push(r.ms);
  }
  const s = summary(samples);
  console.log(`${label}, n=${s.n}: median ${fmt(s.median)}, p99 ${fmt(s.p99)}, min ${fmt(s.min)}`);
  return s.median;
}

async function repeat(label: string, args: string[], env: NodeJS.ProcessEnv, node = process.execPath): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const r = await timed(args, env, node);
    if (r.code !== 0) throw new Error(`${label} exited ${String(r.code)}: ${r.out}`);
    if (i >= WARMUP) samples.push(r.ms);
  }
  const s = summary(samples);
  console.log(`${label}, n=${s.n}: median ${fmt(s.median)}, p99 ${fmt(s.p99)}, min ${fmt(s.min)}`);
  return s.median;
}

/** Wall-clock times of first INVITEs at Kamailio, in log order (`TIME <s.us> INVITE <ruri> call-id <id>`). */
async function invites(logFile: string): Promise<{ id: string; t: number }[]> {
  const seen = new Set<string>();
  const out: { id: string; t: number }[] = [];
  for (const m of (await readFile(logFile, 'utf8')).matchAll(/TIME (\d+\.\d+) INVITE \S+ call-id (\S+)/g)) {
    if (seen.has(m[2]!)) continue;
    seen.add(m[2]!);
    out.push({ id: m[2]!, t: Number(m[1]) * 1000 });
  }
  return out;
}

/** `voispeed call 2001` N times: invoked → first INVITE at Kamailio, and invoked → CLI exit. */
async function callToInvite(klog: string, home: string, env: NodeJS.ProcessEnv, node: string, cli: string): Promise<{ toInvite: number[]; toExit: number[] }> {
  const toInvite: number[] = [];
  const toExit: number[] = [];
  for (let i = 0; i < N + WARMUP; i++) {
    const before = (await invites(klog)).length;
    const r = await timed([cli, 'call', '2001'], env, node);
    if (r.code !== 0) throw new Error(`voispeed call exited ${String(r.code)}: ${r.out}`);
    let list = await invites(klog);
    const deadline = Date.now() + 5000;
    while (list.length <= before) {
      if (Date.now() > deadline) throw new Error('no INVITE logged');
      await sleep(10);
      list = await invites(klog);
    }
    if (i >= WARMUP) {
      toInvite.push(list[before]!.t - r.startedAt);
      toExit.push(r.ms);
    }
    await sleep(200);
    await hangUpAll(home);
    await sleep(300);
  }
  return { toInvite, toExit };
}

/** The .deb's Node and CLI, extracted; undefined when no .deb was built. */
function packagedCli(): { node: string; cli: string; remove(): void } | undefined {
  const version = (JSON.parse(readFileSync(join(process.cwd(), 'package.json'), 'utf8')) as { version: string }).version;
  const deb = join(process.cwd(), 'dist/release', `voispeed-host_${version}_amd64.deb`);
  if (!existsSync(deb)) {
    console.log(`(no ${deb}: run node scripts/package.mjs deb to compare the packaged CLI)`);
    return undefined;
  }
  const dir = mkdtempSync(join(tmpdir(), 'vs-bench-deb-'));
  execFileSync('dpkg-deb', ['-x', deb, dir]);
  return { node: join(dir, 'usr/lib/voispeed/node'), cli: join(dir, 'usr/lib/voispeed/voispeed.cjs'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

async function main() {
  const rig = await startCallRig('bench-cli');
  const klog = join(rig.home, 'sandbox', 'kamailio.log');
  const env = { ...process.env, VOISPEED_HOME: rig.home };
  try {
    console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    const nodeStart = await repeat('node -e 0 (Node start-up alone)', ['-e', '0'], env);
    // `voispeed hangup` where no host runs: the hot entry loaded, one failed connect, exit 1.
    const noHost = { ...env, VOISPEED_HOME: mkdtempSync(join(tmpdir(), 'vs-bench-nohost-')) };
    const cliLoad = await repeatCode('voispeed hangup with no host (Node + loading the hot-command entry)', [cliBundle, 'hangup'], noHost, 1);
    await repeatCode('the same with the full CLI bundle (voispeed-cli.cjs, what voispeed.cjs was before issue 19)', [fullCli, 'hangup'], noHost, 1);
    await repeat('voispeed --help (Node + the hot entry + the full CLI bundle)', [cliBundle, '--help'], env);
    const status = await repeat('voispeed status (full CLI + control socket, hello, one request)', [cliBundle, 'status'], env);

    const full = await callToInvite(klog, rig.home, env, process.execPath, fullCli);
    const fa = summary(full.toInvite);
    console.log(`the full CLI (voispeed-cli.cjs call 2001, as before issue 19) → INVITE at Kamailio, n=${fa.n}: median ${fmt(fa.median)}, p99 ${fmt(fa.p99)}, min ${fmt(fa.min)}`);
    const { toInvite, toExit } = await callToInvite(klog, rig.home, env, process.execPath, cliBundle);
    const a = summary(toInvite);
    const e = summary(toExit);
    console.log(`voispeed call 2001 invoked → INVITE at Kamailio, n=${a.n}: median ${fmt(a.median)}, p99 ${fmt(a.p99)}, min ${fmt(a.min)}`);
    console.log(`voispeed call 2001 invoked → CLI exited (answer printed), n=${e.n}: median ${fmt(e.median)}, p99 ${fmt(e.p99)}`);
    console.log(
      `of the median INVITE time: Node start-up ${fmt(nodeStart)} (${((100 * nodeStart) / a.median).toFixed(0)}%), ` +
        `hot-entry loading ${fmt(cliLoad - nodeStart)}, the rest (socket, hello, host → JsSIP → browser media → INVITE) ${fmt(a.median - cliLoad)}; ` +
        `status (full CLI) ${fmt(status)}; ` +
        `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
    );
    figure('cliOverNode', a.median - nodeStart, `call → INVITE median ${fmt(a.median)} − node -e 0 ${fmt(nodeStart)}`);
    const packaged = packagedCli();
    if (packaged) {
      try {
        const version = execFileSync(packaged.node, ['--version'], { encoding: 'utf8' }).trim();
        await repeat(`packaged: node ${version} -e 0 (the .deb's Node start-up)`, ['-e', '0'], env, packaged.node);
        await repeat('packaged: voispeed --help (the .deb\'s Node + loading its CLI bundle)', [packaged.cli, '--help'], env, packaged.node);
        const p = await callToInvite(klog, rig.home, env, packaged.node, packaged.cli);
        const pa = summary(p.toInvite);
        const pe = summary(p.toExit);
        console.log(`packaged (.deb's node ${version} + voispeed.cjs) voispeed call 2001 → INVITE, n=${pa.n}: median ${fmt(pa.median)}, p99 ${fmt(pa.p99)}, min ${fmt(pa.min)}`);
        console.log(`packaged voispeed call 2001 → CLI exited, n=${pe.n}: median ${fmt(pe.median)}, p99 ${fmt(pe.p99)}`);
        console.log(`packaged / development (system node ${process.version}) INVITE median: ${(pa.median / a.median).toFixed(2)}`);
      } finally {
        packaged.remove();
      }
    }
  } finally {
    await rig.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
