// Hotkeys (issue 7): dial key press → INVITE at Kamailio, median over 20. The product runs whole:
// Chromium (test build, fake microphone) starts the host, which grabs the keys on a private Xvfb;
// xclip holds "tel. 02 6161 6161" in PRIMARY; this process presses Ctrl+Alt+Shift+D through XTEST
// and stamps the time just before. Runs inside a loopback-only network namespace (scripts/bench.mjs).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as x11 from 'x11';
import { callCard, clickInCall, startCallRig } from '../tests/support/call-rig';
import { setSelection, startXvfb } from '../tests/support/xvfb';
import { fmt, summary } from './stats';

const N = Number(process.env.BENCH_PRESSES ?? 20);
const WARMUP = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** An XTEST client that presses Ctrl+Alt+Shift+<key> as a keyboard would. */
async function keyboard(display: string) {
  const d = await new Promise<any>((resolve, reject) => x11.createClient({ display, shm: false }, (err, disp) => (err ? reject(err) : resolve(disp))));
  const X = d.client;
  const xtest = await new Promise<any>((resolve, reject) => X.require('xtest', (err: Error | null, ext: unknown) => (err ? reject(err) : resolve(ext))));
  const count = d.max_keycode - d.min_keycode + 1;
  const mapping = await new Promise<number[][]>((resolve, reject) => X.GetKeyboardMapping(d.min_keycode, count, (err: Error | null, m: number[][]) => (err ? reject(err) : resolve(m))));
  const code = (keysym: number) => d.min_keycode + mapping.findIndex((row) => row[0] === keysym);
  const mods = [code(0xffe3), code(0xffe9), code(0xffe1)]; // Control_L, Alt_L, Shift_L
  const KEY_PRESS = 2;
  const KEY_RELEASE = 3;
  return {
    async press(keysym: number): Promise<number> {
      const key = code(keysym);
      const t0 = Date.now();
      for (const m of mods) xtest.FakeInput(KEY_PRESS, m, 0, d.screen[0].root, 0, 0);
      xtest.FakeInput(KEY_PRESS, key, 0, d.screen[0].root, 0, 0);
      xtest.FakeInput(KEY_RELEASE, key, 0, d.screen[0].root, 0, 0);
      for (const m of [...mods].reverse()) xtest.FakeInput(KEY_RELEASE, m, 0, d.screen[0].root, 0, 0);
      await X.sync();
      return t0;
    },
    close: () => X.terminate(),
  };
}

async function invites(logFile: string): Promise<{ id: string; t: number }[]> {
  const text = await readFile(logFile, 'utf8');
  const seen = new Map<string, number>();
  for (const m of text.matchAll(/TIME (\d+\.\d+) INVITE \S+ call-id (\S+)/g)) if (!seen.has(m[2]!)) seen.set(m[2]!, Number(m[1]) * 1000);
  return [...seen].map(([id, t]) => ({ id, t }));
}

async function main() {
  const x = await startXvfb(110);
  const rig = await startCallRig('bench-hk', x.env);
  const kb = await keyboard(x.display);
  const klog = join(rig.home, 'sandbox', 'kamailio.log');
  const hostLog = join(rig.home, 'logs', 'host.log');
  try {
    const deadline = Date.now() + 15_000;
    while (!(await rig.worker.evaluate(() => (globalThis as any).__voispeed.state().hotkeys?.available))) {
      if (Date.now() > deadline) throw new Error('the host never grabbed the hotkeys');
      await sleep(100);
    }
    setSelection(x, 'tel. 02 6161 6161');
    const toInvite: number[] = [];
    const toDial: number[] = [];
    for (let i = 0; i < N + WARMUP; i++) {
      await sleep(1100); // presses closer than 1 s count once
      const before = (await invites(klog)).length;
      const t0 = await kb.press(0x64);
      let after = await invites(klog);
      const until = Date.now() + 10_000;
      while (after.length === before) {
        if (Date.now() > until) throw new Error(`press ${i}: no INVITE at Kamailio`);
        await sleep(5);
        after = await invites(klog);
      }
      const dialLine = (await readFile(hostLog, 'utf8')).split('\n').filter((l) => l.includes('"source":"hotkey"') && l.includes('"msg":"dial"')).at(-1);
      const dialAt = dialLine ? (JSON.parse(dialLine) as { time: number }).time : NaN;
      if (i >= WARMUP) {
        toInvite.push(after[after.length - 1]!.t - t0);
        toDial.push(dialAt - t0);
      }
      const id = await callCard(rig.popup, 'active');
      await clickInCall(rig.popup, id, 'call-hangup');
      await rig.popup.waitForSelector(`[data-testid=call][data-call-id="${id}"][data-state=ended]`).catch(() => undefined);
      await sleep(300);
    }
    const a = summary(toInvite);
    const b = summary(toDial);
    console.log(`dial key press (XTEST) → INVITE at Kamailio, n=${a.n}: median ${fmt(a.median)}, p99 ${fmt(a.p99)}, min ${fmt(a.min)}, max ${fmt(a.max)}`);
    console.log(`  of which key press → host dials (selection read over X, normalised), median ${fmt(b.median)}, p99 ${fmt(b.p99)}`);
  } finally {
    kb.close();
    await rig.close();
    await x.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
