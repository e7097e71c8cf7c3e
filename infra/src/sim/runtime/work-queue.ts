/** Longest run of tasks before the queue yields to other clusters and the API (one frame of work). */
const SLICE_MS = 4;

/**
 * The cluster's reconcile loop: controllers enqueue keyed tasks from store watches (never writing
 * the store inside a watch callback), and the loop runs them on the next macrotask, deduplicated by
 * key, in order. `idle()` resolves once nothing is queued, which is what `runtime.settle()` awaits.
 */
export class WorkQueue {
  private pending = new Map<string, () => void>();
  private scheduled = false;
  private stopped = false;
  private waiters: (() => void)[] = [];
  private inflight = 0;

  /** Queues `task` under `key`; a task already queued under the same key is replaced. */
  add(key: string, task: () => void): void {
    if (this.stopped) return;
    this.pending.delete(key);
    this.pending.set(key, task);
    this.schedule();
  }

  /** Counts async work (a probe running a shell) as part of the queue until it settles. */
  track(work: Promise<unknown>): void {
    this.inflight++;
    void work.finally(() => {
      this.inflight--;
      if (!this.busy) this.release();
    });
  }

  /** Resolves when the queue has drained and tracked work has settled. */
  idle(): Promise<void> {
    if (!this.busy) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  get busy(): boolean {
    return this.pending.size > 0 || this.scheduled || this.inflight > 0;
  }

  stop(): void {
    this.stopped = true;
    this.pending.clear();
    this.release();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    // Bounded rounds and time per macrotask so one busy cluster cannot starve the others or the API.
    const started = performance.now();
    for (
      let round = 0;
      round < 2000 && this.pending.size > 0 && !this.stopped && performance.now() - started < SLICE_MS;
      round++
    ) {
      const [key, task] = this.pending.entries().next().value as [string, () => void];
      this.pending.delete(key);
      try {
        task();
      } catch (err) {
        console.error(`sim runtime: task ${key} failed`, err);
      }
    }
    this.scheduled = false;
    if (this.pending.size > 0 && !this.stopped) this.schedule();
    else if (this.inflight === 0) this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
