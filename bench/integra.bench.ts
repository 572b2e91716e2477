// Integra (issue 5): INVITE received by the host → CRM tab created (target median ≤ 100 ms) and
// INVITE received → command process spawned (target median ≤ 30 ms), over 50 calls each: the
// answering bot calls 1001 in Chromium with the built test extension, the real host and the
// sandbox. "INVITE received" is when JsSIP hands the new call to the host (CallInfo.startedAt);
// "tab created" is when the extension reports tabs.create done; "spawned" is the child's spawn
// event. Also: INVITE received → the CRM fixture server gets the page request.
// Runs inside a loopback-only network namespace (scripts/bench.mjs).
import { createServer } from 'node:http';
import { figure } from './targets';
import type { AddressInfo } from 'node:net';
import type { WebWorker } from 'puppeteer';
import type { Execution } from '../shared/protocol';
import { baresipCommand } from '../tests/support/baresip-ctrl';
import { startCallRig } from '../tests/support/call-rig';
import { fmt, summary } from './stats';

const N = Number(process.env.BENCH_CALLS ?? 50);
const WARMUP = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Bg = { __voispeed: { state(): { calls: { id: string; state: string }[]; integraLog?: Execution[] }; native: { request(m: string, p: unknown): Promise<unknown> } } };

const state = (worker: WebWorker) => worker.evaluate(() => (globalThis as unknown as Bg).__voispeed.state());

async function until<T>(f: () => Promise<T | undefined>, ms: number, what: string): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await f();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out: ${what}`);
    await sleep(10);
  }
}

async function main() {
  const hits = new Map<string, number>();
  const crm = createServer((req, res) => {
    const id = new URL(req.url ?? '/', 'http://x').searchParams.get('id');
    if (id && !hits.has(id)) hits.set(id, Date.now());
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<!doctype html><title>CRM</title>');
  });
  await new Promise<void>((r) => crm.listen(0, '127.0.0.1', r));
  const crmUrl = `http://127.0.0.1:${(crm.address() as AddressInfo).port}`;
  const rig = await startCallRig('bench-integra');
  const bot = rig.sandbox.users['2001'].ctrl!;
  const setRules = (rules: unknown[]) =>
    rig.worker.evaluate(
      (value) => (globalThis as unknown as Bg).__voispeed.native.request('settings.set', { section: 'integra', value }),
      { enabled: true, onlyExternal: false, rules } as never,
    );

  async function oneCall(done: (e: Execution) => boolean): Promise<{ id: string; entry: Execution }> {
    await baresipCommand(bot, 'dial', `sip:1001@${rig.sandbox.domain}`);
    const id = await until(async () => (await state(rig.worker)).calls.find((c) => c.state === 'ringing-in')?.id, 10_000, 'ringing');
    const entry = await until(async () => (await state(rig.worker)).integraLog?.find((e) => e.callId === id && done(e)), 10_000, 'execution');
    await baresipCommand(bot, 'hangup');
    await until(async () => ((await state(rig.worker)).calls.some((c) => c.id === id && c.state !== 'ended') ? undefined : true), 10_000, 'ended');
    return { id, entry };
  }

  try {
    await setRules([{ id: 'crm', events: ['CALL_IN'], action: 'url', template: `${crmUrl}/find?n=!01&id=!05` }]);
    const toTab: number[] = [];
    const toRequest: number[] = [];
    const toAsk: number[] = [];
    for (let i = 0; i < N + WARMUP; i++) {
      const { id, entry } = await oneCall((e) => e.result === 'opened' || e.result === 'error');
      if (entry.result !== 'opened') throw new Error(`the tab did not open: ${entry.message}`);
      const hit = await until(async () => hits.get(id), 5000, 'CRM request');
      if (i >= WARMUP) {
        toTab.push(entry.finishedAt! - entry.callStartedAt!);
        toAsk.push(entry.startedAt! - entry.callStartedAt!);
        toRequest.push(hit - entry.callStartedAt!);
      }
      for (const page of await rig.browser.pages()) if (page.url().startsWith(crmUrl)) await page.close();
    }
    const a = summary(toTab);
    figure('inviteToCrmTab', a.median, `n=${a.n}, p99 ${fmt(a.p99)}, max ${fmt(a.max)}`);
    const k = summary(toAsk);
    console.log(`  of which INVITE → the host asks the extension to open it (integra.open sent), median ${fmt(k.median)}, p99 ${fmt(k.p99)}; the rest is the browser's tabs.create and the reply`);
    const r = summary(toRequest);
    console.log(`INVITE received by the host → the CRM server gets the page request, n=${r.n}: median ${fmt(r.median)}, p99 ${fmt(r.p99)}`);

    await setRules([{ id: 'cmd', events: ['CALL_IN'], action: 'command', template: '/bin/true !01 !05' }]);
    const toSpawn: number[] = [];
    for (let i = 0; i < N + WARMUP; i++) {
      const { entry } = await oneCall((e) => e.result !== 'running');
      if (entry.result !== 'ok') throw new Error(`the command did not run: ${entry.result} ${entry.message ?? ''}`);
      if (i >= WARMUP) toSpawn.push(entry.startedAt! - entry.callStartedAt!);
    }
    const s = summary(toSpawn);
    console.log(`INVITE received by the host → command spawned, n=${s.n}: median ${fmt(s.median)}, p99 ${fmt(s.p99)}, max ${fmt(s.max)} (target median ≤ 30 ms: ${s.median <= 30 ? 'met' : 'MISSED'})`);
  } finally {
    await rig.close();
    crm.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
