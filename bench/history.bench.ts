// Call history (issue 8): one journal append with its fsync (what a finished call waits before
// it is announced), opening a full history (host start-up), and the CSV export of all of it.
// 12,000 appends with the default limit of 10,000, so the compactions (an atomic rewrite of the
// whole file every ~1,000 calls past the limit) are in the sample.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../native-host/src/history/history-store';
import { fmt, summary } from './stats';

const N = Number(process.env.BENCH_HISTORY ?? 12_000);
const dir = mkdtempSync(join(tmpdir(), 'voispeed-history-bench-'));
const file = join(dir, 'history.jsonl');
try {
  const store = new HistoryStore(file);
  store.open();
  const appends: number[] = [];
  for (let i = 0; i < N; i++) {
    const now = Date.now();
    const t0 = performance.now();
    store.add({ id: `bench-${i}`, direction: i % 2 ? 'in' : 'out', number: '+390261616161', name: 'Rossi, Mario', extId: `CRM-${i}`, startedAt: now - 60_000, answeredAt: now - 50_000, endedAt: now, durationMs: 50_000, result: 'answered', cause: 'BYE' });
    appends.push(performance.now() - t0);
  }
  store.close();
  const a = summary(appends);
  console.log(`append + fsync: median ${fmt(a.median)}, p99 ${fmt(a.p99)}, max ${fmt(a.max)} (${a.n} calls, compactions included)`);
  console.log(`file: ${(statSync(file).size / 1024).toFixed(0)} KB`);
  const opens: number[] = [];
  let total = 0;
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    const s = new HistoryStore(file);
    s.open();
    opens.push(performance.now() - t0);
    total = s.summary().total;
    s.close();
  }
  console.log(`open ${total} records: median ${fmt(summary(opens).median)}`);
  const s = new HistoryStore(file);
  s.open();
  const t0 = performance.now();
  let bytes = 0;
  let parts = 0;
  for (let after: number | undefined = -1; after !== undefined; parts++) {
    const part = s.exportPart(after);
    bytes += part.csv.length;
    after = part.next;
  }
  console.log(`CSV export: ${(bytes / 1024).toFixed(0)} KB in ${parts} parts, ${fmt(performance.now() - t0)}`);
  s.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
