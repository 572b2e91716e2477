import type { CallInfo, HistoryRecord } from '../../../shared/protocol';
import type { Logger } from '../log';
import { toRecord } from './classify';
import { HistoryStore, historyFile, type HistorySummary } from './history-store';

export interface HistoryDeps {
  stateDir: string;
  log: Logger;
  limit: number;
  /** Told after a record is on disk, and when the unseen-missed count changes. */
  announce(data: { added?: HistoryRecord } & HistorySummary): void;
  now?: () => number;
}

export interface HistoryService {
  /** Journals a call when it has ended; other states are ignored. */
  onCall(call: CallInfo): void;
  list(limit?: number, before?: number): { records: HistoryRecord[] } & HistorySummary;
  exportPart(after?: number): { csv: string; count: number; next?: number };
  markSeen(upTo?: number): HistorySummary;
  setLimit(limit: number): void;
  stop(): void;
}

/** The host's call history: every ended call is journalled, then announced (DESIGN section 2). */
export function startHistory(deps: HistoryDeps): HistoryService {
  const log = deps.log.child({ module: 'history' });
  const now = deps.now ?? Date.now;
  const store = new HistoryStore(historyFile(deps.stateDir), deps.limit);
  let usable = true;
  try {
    const loaded = store.open();
    if (loaded.skipped || loaded.truncatedBytes) {
      log.warn({ skipped: loaded.skipped, truncatedBytes: loaded.truncatedBytes }, 'history: a torn or damaged entry was skipped');
    }
  } catch (err) {
    usable = false;
    log.error({ err, file: store.path }, 'history unavailable');
  }
  const empty = { unseenMissed: 0, total: 0 };

  return {
    onCall(call) {
      if (call.state !== 'ended' || !usable) return;
      let added: HistoryRecord;
      try {
        added = store.add(toRecord(call, now()));
      } catch (err) {
        log.error({ err, id: call.id }, 'history: cannot write the record');
        return;
      }
      deps.announce({ added, ...store.summary() });
    },
    list: (limit, before) => (usable ? { records: store.list(limit, before), ...store.summary() } : { records: [], ...empty }),
    exportPart: (after) => (usable ? store.exportPart(after) : { csv: '', count: 0 }),
    markSeen(upTo) {
      if (!usable) return empty;
      const before = store.summary().unseenMissed;
      const summary = store.markSeen(upTo);
      if (summary.unseenMissed !== before) deps.announce(summary);
      return summary;
    },
    setLimit: (limit) => {
      if (usable) store.setLimit(limit);
    },
    stop: () => store.close(),
  };
}
