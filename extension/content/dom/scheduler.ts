/** A unit of work that can stop at a deadline and resume later. */
export interface Job {
  /** Works until `deadline` (performance.now() time); true when finished. */
  step(deadline: number): boolean;
  /** What the job is, for the per-stage trace of the longest slice (stats.longestJob). */
  readonly label?: string;
}

/** Per slice of work: well under the 50 ms of a long task, leaving the page room to respond. */
const SLICE_MS = 8;

/**
 * Runs jobs in short slices and yields to the page between them (a macrotask through a
 * MessageChannel, which is not clamped like nested timers). Nothing runs while the page is
 * hidden: work waits for visibilitychange.
 */
export class Scheduler {
  private readonly queue: Job[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  /** What the page paid for us: slices run, total and longest slice (the benchmark reads these). */
  readonly stats = { slices: 0, busyMs: 0, longestMs: 0, longestJob: '', errors: 0, idleAt: 0 };
  private scheduled = false;
  private stopped = false;
  private readonly channel = new MessageChannel();
  private readonly onVisible = () => {
    if (!this.doc.hidden) this.kick();
  };

  constructor(private readonly doc: Document) {
    this.channel.port1.onmessage = () => this.pump();
    doc.addEventListener('visibilitychange', this.onVisible);
  }

  add(job: Job): void {
    if (this.stopped) return;
    this.queue.push(job);
    this.kick();
  }

  get queued(): number {
    return this.queue.length;
  }

  get idle(): boolean {
    return this.queue.length === 0;
  }

  /** Resolves once every queued job has finished. */
  whenIdle(): Promise<void> {
    return this.queue.length === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  stop(): void {
    this.stopped = true;
    this.queue.length = 0;
    for (const w of this.idleWaiters.splice(0)) w();
    this.doc.removeEventListener('visibilitychange', this.onVisible);
    this.channel.port1.close();
  }

  private kick(): void {
    if (this.scheduled || this.stopped || !this.queue.length || this.doc.hidden) return;
    this.scheduled = true;
    this.channel.port2.postMessage(0);
  }

  private pump(): void {
    this.scheduled = false;
    if (this.stopped || this.doc.hidden) return;
    const start = performance.now();
    const deadline = start + SLICE_MS;
    while (this.queue.length && performance.now() < deadline) {
      const job = this.queue[0]!;
      let finished = true;
      const t0 = performance.now();
      try {
        finished = job.step(deadline);
      } catch (err) {
        // One bad subtree must not stall every later scan: drop the job, keep going.
        this.stats.errors++;
        console.error('VOIspeed: number scan failed', err);
      }
      const took = performance.now() - t0;
      if (took > this.stats.longestMs) this.stats.longestJob = `${job.label ?? 'job'} ${took.toFixed(1)} ms`;
      if (finished) this.queue.shift();
    }
    const spent = performance.now() - start;
    this.stats.slices++;
    this.stats.busyMs += spent;
    if (spent > this.stats.longestMs) this.stats.longestMs = spent;
    if (!this.queue.length) {
      this.stats.idleAt = performance.now();
      for (const w of this.idleWaiters.splice(0)) w();
    }
    this.kick();
  }
}
