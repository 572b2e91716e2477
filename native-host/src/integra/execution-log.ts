import type { Execution } from '../../../shared/protocol';

/**
 * The last `size` executions, newest first. An entry is updated in place when it finishes; one
 * still running is remembered even after newer ones pushed it out of the list, so its end is
 * still announced.
 */
export class ExecutionLog {
  private readonly entries: Execution[] = [];
  private readonly running = new Map<number, Execution>();
  private seq = 0;

  constructor(private readonly size = 50) {}

  add(entry: Omit<Execution, 'seq'>): Execution {
    const full = { ...entry, seq: ++this.seq } as Execution;
    this.entries.unshift(full);
    if (this.entries.length > this.size) this.entries.length = this.size;
    if (full.result === 'running') this.running.set(full.seq, full);
    return full;
  }

  update(seq: number, change: Partial<Execution>): Execution | undefined {
    const i = this.entries.findIndex((e) => e.seq === seq);
    const current = i >= 0 ? this.entries[i] : this.running.get(seq);
    if (!current) return undefined;
    const next = { ...current, ...change };
    if (i >= 0) this.entries[i] = next;
    if (next.result === 'running') this.running.set(seq, next);
    else this.running.delete(seq);
    return next;
  }

  list(): Execution[] {
    return this.entries.slice();
  }
}
