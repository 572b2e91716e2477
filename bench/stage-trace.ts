// Issue 19's per-stage trace of a call's start: where the time from a click to the INVITE goes.
// The host writes its stages at debug level (VOISPEED_LOG_LEVEL=debug: each media request, reply
// and event, the local SDP ready, the INVITE handed to the transport); test builds of the media
// engine keep their own (`test.trace`). Both clocks are this machine's wall clock.
import { readFile } from 'node:fs/promises';
import type { WebWorker } from 'puppeteer';
import { fmt, summary } from './stats';

interface HostLine {
  time: number;
  msg: string;
  method?: string;
  pcId?: string;
  type?: string;
  candidate?: string | null;
}

export interface EngineStep {
  pcId: string;
  stage: string;
  at: number;
}

/** The engine's trace (test builds), read through the worker's test hook. */
export async function engineTrace(worker: WebWorker): Promise<EngineStep[]> {
  return worker
    .evaluate(() => (globalThis as unknown as { __voispeedMedia: { engine(m: string, p: unknown): Promise<EngineStep[]> } }).__voispeedMedia.engine('test.trace', {}))
    .catch(() => []);
}

async function hostLines(hostLog: string): Promise<HostLine[]> {
  return (await readFile(hostLog, 'utf8'))
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as HostLine);
}

/**
 * Each stage of the call whose click was at `clickedAt` (its peer connection is the first the
 * engine created after the click), in ms after the click; a stage that did not happen is absent.
 */
export async function callStages(hostLog: string, engine: EngineStep[], clickedAt: number, inviteAt: number, endName = 'Kamailio: INVITE'): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  const created = engine.find((s) => s.stage.startsWith('create') && s.at >= clickedAt - 1);
  const lines = (await hostLines(hostLog)).filter((l) => l.time >= clickedAt - 1 && l.time <= inviteAt + 50);
  const first = (name: string, at: number | undefined) => {
    if (at !== undefined && !out.has(name)) out.set(name, at - clickedAt);
  };
  first('host: dial', lines.find((l) => l.msg === 'dial')?.time);
  first('host: answer', lines.find((l) => l.msg === 'answer')?.time);
  if (created) {
    const pcId = created.pcId;
    for (const s of engine.filter((x) => x.pcId === pcId && x.at <= inviteAt + 50)) first(`engine: ${s.stage}`, s.at);
    for (const l of lines.filter((x) => x.pcId === pcId)) {
      if (l.msg === 'media request') first(`host → ${l.method}`, l.time);
      else if (l.msg === 'media reply') first(`host ← ${l.method}`, l.time);
      else if (l.msg === 'media event') first(`host ← event ${l.type}${l.type === 'icecandidate' ? (l.candidate ? ` ${/ typ (\w+)/.exec(l.candidate)?.[1]}` : ' end') : ''}`, l.time);
    }
  }
  first('host: local SDP ready', lines.find((l) => l.msg === 'local sdp ready')?.time);
  first('host: INVITE sending', lines.find((l) => l.msg === 'INVITE sending')?.time);
  out.set(endName, inviteAt - clickedAt);
  return out;
}

/** Median and p99 of every stage over the calls, in order of their medians. */
export function printStages(calls: Map<string, number>[], title = 'per-stage trace, ms after the click'): void {
  const names = new Set(calls.flatMap((c) => [...c.keys()]));
  const rows = [...names].map((name) => {
    const s = summary(calls.flatMap((c) => (c.has(name) ? [c.get(name)!] : [])));
    return { name, ...s };
  });
  rows.sort((a, b) => a.median - b.median);
  console.log(`${title} (n=${calls.length}; median, p99, calls where seen):`);
  for (const r of rows) console.log(`  ${r.name.padEnd(48)} ${fmt(r.median).padStart(10)} ${fmt(r.p99).padStart(10)}  ${r.n}`);
}
