import { join } from 'node:path';
import { call, type HistoryRecord } from '../../../shared/protocol';
import { DEFAULT_HISTORY_SIZE } from '../../../shared/settings/preferences';
import { CSV_HEADER, csvRow, recordRow } from './csv';
import { Journal, type JournalLoad } from './journal';
import { endReasonOf } from '../sip/end-reason';

/** What the journal holds: finished calls, and how far the user has seen missed calls. */
export type HistoryEntry = { k: 'call'; r: HistoryRecord } | { k: 'seen'; upTo: number };

/** shared/protocol/call.ts callIdSchema, without zod's per-call cost. */
const CALL_ID = /^[A-Za-z0-9._@+-]{1,128}$/;
const RESULTS = new Set(['answered', 'missed', 'busy', 'declined', 'failed']);
const REASONS = new Set<string>(call.callEndReasonSchema.options);

/** A record journaled before `reason` existed gets it from its cause and status, by the same mapping as a live call. */
function withReason(r: HistoryRecord): HistoryRecord {
  return r.reason !== undefined || (r.cause === undefined && r.code === undefined) ? r : { ...r, reason: endReasonOf(r.cause ?? '', r.code) };
}
const num = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
const optStr = (v: unknown) => v === undefined || typeof v === 'string';

/**
 * The checksum already proves a line is what was written; this only refuses shapes an older or
 * newer version might have written. By hand: the zod schema made opening 10,000 records ~4× slower.
 */
function isRecord(r: unknown): r is HistoryRecord {
  if (typeof r !== 'object' || r === null) return false;
  const x = r as Record<string, unknown>;
  return (
    num(x.seq) && typeof x.id === 'string' && CALL_ID.test(x.id) && (x.direction === 'in' || x.direction === 'out') &&
    typeof x.number === 'string' && optStr(x.name) && optStr(x.extId) && optStr(x.cause) && (x.reason === undefined || REASONS.has(x.reason as string)) && num(x.startedAt) && num(x.endedAt) &&
    num(x.durationMs) && (x.answeredAt === undefined || num(x.answeredAt)) && (x.code === undefined || num(x.code)) && RESULTS.has(x.result as string)
  );
}

function isEntry(v: unknown): v is HistoryEntry {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as { k?: unknown; r?: unknown; upTo?: unknown };
  if (e.k === 'seen') return num(e.upTo);
  return e.k === 'call' && isRecord(e.r);
}

/** Records per `history.export` part: ~150 bytes each stays far below the 1 MB frame limit. */
export const EXPORT_PART = 2_000;

export interface HistorySummary {
  unseenMissed: number;
  total: number;
}

export function historyFile(stateDir: string): string {
  return join(stateDir, 'history.jsonl');
}

/**
 * The call history on disk: a journal of finished calls (journal.ts), bounded to `limit` records
 * by an atomic rewrite once it grows a tenth past the limit, so appends stay O(1) and the file
 * never holds more than 1.1 × limit calls.
 */
export class HistoryStore {
  private readonly journal: Journal<HistoryEntry>;
  private records: HistoryRecord[] = [];
  private seenUpTo = -1;
  private nextSeq = 0;
  private limit: number;
  private opened = false;

  constructor(file: string, limit = DEFAULT_HISTORY_SIZE) {
    this.journal = new Journal<HistoryEntry>(file, isEntry);
    this.limit = limit;
  }

  /** Reads the journal (skipping a torn last write); call once before anything else. */
  open(): JournalLoad<HistoryEntry> {
    const loaded = this.journal.open();
    const byId = new Map<string, HistoryRecord>();
    for (const e of loaded.entries) {
      if (e.k === 'seen') this.seenUpTo = Math.max(this.seenUpTo, e.upTo);
      else byId.set(e.r.id, withReason(e.r));
    }
    this.records = [...byId.values()].sort((a, b) => a.seq - b.seq);
    this.nextSeq = this.records.length ? this.records[this.records.length - 1]!.seq + 1 : Math.max(0, this.seenUpTo + 1);
    this.opened = true;
    this.compactIfNeeded();
    return loaded;
  }

  close(): void {
    this.journal.close();
    this.opened = false;
  }

  get path(): string {
    return this.journal.path;
  }

  setLimit(limit: number): void {
    this.limit = Math.max(1, Math.floor(limit));
    if (this.opened) this.compactIfNeeded();
  }

  /** Journals one finished call (on disk when this returns) and gives it its seq. */
  add(record: Omit<HistoryRecord, 'seq'>): HistoryRecord {
    const full: HistoryRecord = { ...record, seq: this.nextSeq };
    this.journal.append({ k: 'call', r: full });
    this.nextSeq++;
    this.records.push(full);
    this.compactIfNeeded();
    return full;
  }

  /** The records a user sees: the newest `limit` (the file may hold a few more until it is compacted). */
  private visible(): HistoryRecord[] {
    return this.records.length > this.limit ? this.records.slice(-this.limit) : this.records;
  }

  /** Newest first. */
  list(limit = 200, before?: number): HistoryRecord[] {
    const out: HistoryRecord[] = [];
    const records = this.visible();
    for (let i = records.length - 1; i >= 0 && out.length < limit; i--) {
      const r = records[i]!;
      if (before === undefined || r.seq < before) out.push(r);
    }
    return out;
  }

  summary(): HistorySummary {
    let unseenMissed = 0;
    const records = this.visible();
    for (let i = records.length - 1; i >= 0; i--) {
      const r = records[i]!;
      if (r.seq <= this.seenUpTo) break;
      if (isMissedIncoming(r)) unseenMissed++;
    }
    return { unseenMissed, total: records.length };
  }

  /** Everything up to `upTo` (default: the newest record) counts as seen. */
  markSeen(upTo?: number): HistorySummary {
    const last = this.records[this.records.length - 1]?.seq ?? -1;
    const target = Math.min(upTo ?? last, last);
    if (target > this.seenUpTo) {
      this.journal.append({ k: 'seen', upTo: target });
      this.seenUpTo = target;
    }
    return this.summary();
  }

  /** One part of the CSV export, oldest first, records with seq > after. */
  exportPart(after = -1, part = EXPORT_PART): { csv: string; count: number; next?: number } {
    const records = this.visible();
    const start = records.findIndex((r) => r.seq > after);
    const chunk = start < 0 ? [] : records.slice(start, start + part);
    const head = after < 0 ? csvRow(CSV_HEADER) : '';
    const csv = head + chunk.map(recordRow).join('');
    const more = start >= 0 && start + part < records.length;
    return { csv, count: chunk.length, ...(more ? { next: chunk[chunk.length - 1]!.seq } : {}) };
  }

  private compactIfNeeded(): void {
    const slack = Math.max(50, Math.ceil(this.limit / 10));
    if (this.records.length <= this.limit + slack) return;
    this.records = this.records.slice(-this.limit);
    const entries: HistoryEntry[] = this.records.map((r) => ({ k: 'call', r }));
    if (this.seenUpTo >= 0) entries.push({ k: 'seen', upTo: this.seenUpTo });
    this.journal.rewrite(entries);
  }
}

export function isMissedIncoming(r: HistoryRecord): boolean {
  return r.direction === 'in' && r.result === 'missed';
}
