import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeJournal } from '../../native-host/src/history/journal';
import { startSandbox, stopSandbox } from '../../native-host/src/sandbox';
import { SettingsStore } from '../../native-host/src/settings/settings-store';
import { baresipCommand } from '../support/baresip-ctrl';
import { fakeMediaEngine } from '../support/fake-media';
import { spawnHost, type HostProcess } from '../support/host-process';
import { prng, tempDir } from '../support/temp';

type Call = { id: string; state: string };
type HistoryPush = { added?: { id: string; seq: number; result: string } };

const ROUNDS = Number(process.env.HISTORY_KILL_ROUNDS ?? 100);

/**
 * kill -9 the host while calls end, again and again: every record the host announced (the
 * `history` push comes only after the fsync) must be there after every restart, and the journal
 * must always open (a torn last write skipped, never a corrupt file).
 */
describe('call history survives kill -9 while calls end', { timeout: 900_000 }, () => {
  const dir = tempDir('hkill');
  const home = join(dir.path, 'home');
  const journalFile = join(home, 'state', 'history.jsonl');
  const announced = new Map<string, number>();
  let host: HostProcess | undefined;

  let botCtrl: { host: string; port: number };

  beforeAll(async () => {
    const sandbox = await startSandbox({ dir: join(home, 'sandbox') });
    botCtrl = sandbox.users['2001'].ctrl!;
    await new SettingsStore(join(home, 'settings.json')).update((s) => ({ ...s, account: sandbox.account }));
  });
  afterAll(async () => {
    if (host) await killHard(host);
    await stopSandbox(join(home, 'sandbox'));
    if (!process.env.KEEP_RIG) dir.remove();
  });

  /** The host's own pid (a launcher may stand between the test and the host). */
  async function killHard(h: HostProcess): Promise<void> {
    const st = (await h.request('status', undefined, 2000).catch(() => undefined)) as { result?: { host: { pid: number } } } | undefined;
    const pid = st?.result?.host.pid;
    if (pid) process.kill(pid, 'SIGKILL');
    h.child.kill('SIGKILL');
    await h.exited;
  }

  /** Resolves once the host's stdout is drained and closed ('exit' can come before the last frames). */
  const drained = new WeakMap<HostProcess, Promise<void>>();

  async function start(): Promise<{ h: HostProcess; hostPid: number }> {
    const h = spawnHost(home);
    drained.set(h, new Promise((r) => h.child.once('close', () => r())));
    fakeMediaEngine(h);
    await h.hello();
    await h.frames.waitFor((m) => m?.event === 'registration' && m.data?.state === 'registered', 15_000, 'registered');
    const st = (await h.request('status')) as { result: { host: { pid: number } } };
    return { h, hostPid: st.result.host.pid };
  }

  const collectAnnounced = (h: HostProcess) => {
    for (const m of h.frames.messages as { event?: string; data?: HistoryPush }[]) {
      if (m?.event === 'history' && m.data?.added) announced.set(m.data.added.id, m.data.added.seq);
    }
  };

  it(`${ROUNDS} kills: 0 announced records lost, the journal always opens`, async () => {
    const rnd = prng(8);
    let endedBeforeKill = 0;
    let killedMidEnd = 0;
    let listChecks = 0;
    // First, without a kill: how long from the hang-up request to the record's announcement, so
    // the kills can be spread over that window.
    const warm = await start();
    const lat: number[] = [];
    for (let i = 0; i < 5; i++) {
      const d = (await warm.h.request('call.dial', { number: '2001', source: 'cli' })) as { result: { call: Call } };
      const id = d.result.call.id;
      await warm.h.frames.waitFor((m) => m?.event === 'call' && m.data?.id === id && m.data?.state === 'active', 10_000, 'active');
      const t0 = performance.now();
      warm.h.send({ id: `hang-${id}`, method: 'call.hangup', params: { id } });
      await warm.h.frames.waitFor((m) => m?.event === 'history' && m.data?.added?.id === id, 10_000, 'history push');
      lat.push(performance.now() - t0);
    }
    collectAnnounced(warm.h);
    await killHard(warm.h);
    await drained.get(warm.h);
    lat.sort((a, b) => a - b);
    const firstWindow = Math.max(10, lat[lat.length - 1]! * 6);
    let window = firstWindow;
    const windows: number[] = [];
    const announcedBeforeRounds = announced.size;
    console.log(`hang-up request → history push (fsync'd): ${lat.map((v) => v.toFixed(1)).join(', ')} ms; kill window 0–${window.toFixed(1)} ms`);

    for (let round = 0; round < ROUNDS; round++) {
      const { h, hostPid } = await start();
      host = h;
      // Every record announced so far is still there, whatever the last kill interrupted.
      const listed = (await h.request('history.list', { limit: 1000 })) as { result: { records: { id: string }[] } };
      const ids = new Set(listed.result.records.map((r) => r.id));
      const lost = [...announced.keys()].filter((id) => !ids.has(id));
      expect(lost, `round ${round}: announced records missing after the restart`).toEqual([]);
      listChecks++;

      // Two calls up, then both hung up, and the host killed somewhere while they end.
      const dials = await Promise.all([0, 1].map(() => h.request('call.dial', { number: '2001', source: 'cli' })));
      const callIds = dials.map((d) => (d as { result: { call: Call } }).result.call.id);
      await Promise.all(
        callIds.map((id) => h.frames.waitFor((m) => m?.event === 'call' && m.data?.id === id && m.data?.state === 'active', 10_000, 'active')),
      );
      for (const id of callIds) h.send({ id: `hang-${id}`, method: 'call.hangup', params: { id } });
      // The hang-ups take a few milliseconds to become journalled records: land the kill anywhere
      // from before the first is handled to after the last (busy-wait: timers are too coarse).
      windows.push(window);
      const until = performance.now() + rnd() * window;
      while (performance.now() < until) {
        // spin
      }
      process.kill(hostPid, 'SIGKILL');
      h.child.kill('SIGKILL');
      await drained.get(h);
      collectAnnounced(h);
      // A host killed before its BYE leaves the bot with calls it still thinks are up (it takes
      // 4 at most): end them, as a PBX's session timer would.
      for (let i = 0; i < callIds.length; i++) await baresipCommand(botCtrl, 'hangup', '', 2000).catch(() => undefined);
      const pushes = (h.frames.messages as { event?: string; data?: HistoryPush }[]).filter((m) => m?.event === 'history' && m.data?.added);
      // How the kill lands depends on the scheduler (a busy machine stretches the hang-ups): steer
      // the window toward the moment calls end instead of failing when it missed. Killed after
      // both records were announced: aim earlier; otherwise later (bounded).
      if (pushes.length === callIds.length) {
        endedBeforeKill++;
        window = Math.max(0.5, window * 0.8);
      } else {
        killedMidEnd++;
        window = Math.min(firstWindow * 2, window * 1.05);
      }
      host = undefined;
    }
    // One more start: the final state, and the file read straight from disk.
    const { h } = await start();
    host = h;
    const listed = (await h.request('history.list', { limit: 1000 })) as { result: { records: { id: string }[] } };
    const ids = new Set(listed.result.records.map((r) => r.id));
    const lost = [...announced.keys()].filter((id) => !ids.has(id));
    const onDisk = decodeJournal(readFileSync(journalFile));
    const log = readFileSync(join(home, 'logs', 'host.log'), 'utf8');
    const tornRepairs = (log.match(/a torn or damaged entry was skipped/g) ?? []).length;
    console.log(
      `history kill -9: ${ROUNDS} rounds, ${announced.size} records announced, ${lost.length} lost, ` +
        `${listed.result.records.length} listed; rounds killed before every record was announced: ${killedMidEnd}, ` +
        `after: ${endedBeforeKill}; torn tails repaired at start-up: ${tornRepairs}; journal: ${onDisk.entries.length} entries, ${onDisk.skipped} bad lines; ` +
        `kill window ${Math.min(...windows).toFixed(1)}–${Math.max(...windows).toFixed(1)} ms (started at ${firstWindow.toFixed(1)})`,
    );
    expect(listChecks).toBe(ROUNDS);
    // The property: nothing announced is ever lost, and the journal always opens. Where the kills
    // landed is reported above, not asserted: it measures the scheduler, not the history.
    expect(lost).toEqual([]);
    expect(onDisk.skipped).toBe(0);
    // Not vacuous: the kill rounds themselves announced records that then had to survive.
    expect(announced.size, 'records announced during the kill rounds').toBeGreaterThan(announcedBeforeRounds);
  });
});
