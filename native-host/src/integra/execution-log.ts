import type { Execution } from '../../../shared/protocol';

/** The last `size` executions, newest first; an entry is updated in place when it finishes. */
export class ExecutionLog {
  private readonly entries: Execution[] = [];
  private seq = 0;

  constructor(private readonly size = 50) {}

  add(entry: Omit<Execution, 'seq'>): Execution {
    const full = { ...entry, seq: ++this.seq } as Execution;
    this.entries.unshift(full);
    if (this.entries.length > this.size) this.entries.length = this.size;
    return full;
  }

  update(seq: number, change: Partial<Execution>): Execution | undefined {
    const i = this.entries.findIndex((e) => e.seq === seq);
    if (i < 0) return undefined;
    this.entries[i] = { ...this.entries[i]!, ...change };
    return this.entries[i];
  }

  list(): Execution[] {
    return this.entries.slice();
  }
}
