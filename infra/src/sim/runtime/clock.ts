/** A scheduled callback; `cancel()` is idempotent. */
export interface TimerHandle {
  cancel(): void;
}

/** Time as the runtime sees it: injectable so tests can drive probes, back-off and grace periods. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Runs `fn` once, `delayMs` from now. */
  setTimer(delayMs: number, fn: () => void): TimerHandle;
}

interface Entry {
  at: number;
  seq: number;
  fn: () => void;
  cancelled: boolean;
}

/**
 * A min-heap of timers. Every cluster of the process shares one queue and so one Node timer, instead
 * of one `setTimeout` per probe, back-off and grace period (200 clusters × 20 pods would be thousands).
 */
export class TimerQueue {
  private readonly heap: Entry[] = [];
  private seq = 0;

  get size(): number {
    return this.heap.length;
  }

  /** The due time of the earliest live timer, if any. */
  peek(): number | undefined {
    this.dropCancelled();
    return this.heap[0]?.at;
  }

  add(at: number, fn: () => void): TimerHandle {
    const entry: Entry = { at, seq: this.seq++, fn, cancelled: false };
    this.heap.push(entry);
    this.up(this.heap.length - 1);
    return {
      cancel: () => {
        entry.cancelled = true;
      },
    };
  }

  /** Removes and returns the earliest live timer due at or before `time`. */
  popDue(time: number): (() => void) | undefined {
    this.dropCancelled();
    const top = this.heap[0];
    if (!top || top.at > time) return undefined;
    this.pop();
    return top.fn;
  }

  private dropCancelled(): void {
    while (this.heap[0]?.cancelled) this.pop();
  }

  private pop(): void {
    const last = this.heap.pop()!;
    if (this.heap.length === 0) return;
    this.heap[0] = last;
    this.down(0);
  }

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
      if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m]!, h[i]!];
      i = m;
    }
  }
}

/** Wall-clock time with one shared, unref'd Node timer for the whole process. */
export class SystemClock implements Clock {
  private readonly queue = new TimerQueue();
  private timer: NodeJS.Timeout | undefined;
  private armedAt = Infinity;

  now(): number {
    return Date.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const at = Date.now() + Math.max(0, delayMs);
    const handle = this.queue.add(at, fn);
    if (at < this.armedAt) this.arm();
    return handle;
  }

  /** Timers waiting (including cancelled ones not yet dropped); for the memory benchmark. */
  get pending(): number {
    return this.queue.size;
  }

  private arm(): void {
    if (this.timer) clearTimeout(this.timer);
    const next = this.queue.peek();
    if (next === undefined) {
      this.timer = undefined;
      this.armedAt = Infinity;
      return;
    }
    this.armedAt = next;
    this.timer = setTimeout(() => this.fire(), Math.max(0, next - Date.now()));
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAt = Infinity;
    const now = Date.now();
    for (let fn = this.queue.popDue(now); fn; fn = this.queue.popDue(now)) {
      try {
        fn();
      } catch (err) {
        // A failing callback must not stop every other cluster's timers.
        console.error('sim runtime: timer callback failed', err);
      }
    }
    this.arm();
  }
}

/** The process-wide clock every cluster uses unless a test injects its own. */
export const systemClock = new SystemClock();

/** A clock that moves only when told to; `runtime.advance(ms)` drives it in tests. */
export class ManualClock implements Clock {
  private readonly queue = new TimerQueue();
  private time: number;

  constructor(start = Date.parse('2026-01-01T00:00:00Z')) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    return this.queue.add(this.time + Math.max(0, delayMs), fn);
  }

  /** Fires the earliest timer due at or before `target`, moving time to it; false when none is. */
  step(target: number): boolean {
    const at = this.queue.peek();
    if (at === undefined || at > target) return false;
    this.time = Math.max(this.time, at);
    this.queue.popDue(at)?.();
    return true;
  }

  /** Sets the time (never backwards). */
  set(target: number): void {
    this.time = Math.max(this.time, target);
  }
}

/**
 * One cluster's view of a shared clock: remembers its live timers so `cancelAll()` at cluster stop
 * drops them at once (a pending 10-minute progress-deadline timer must not keep a deleted cluster's
 * state in memory).
 */
export class ScopedClock implements Clock {
  private readonly live = new Set<TimerHandle>();

  constructor(readonly base: Clock) {}

  now(): number {
    return this.base.now();
  }

  setTimer(delayMs: number, fn: () => void): TimerHandle {
    const handle: TimerHandle = this.base.setTimer(delayMs, () => {
      this.live.delete(scoped);
      fn();
    });
    const scoped: TimerHandle = {
      cancel: () => {
        this.live.delete(scoped);
        handle.cancel();
      },
    };
    this.live.add(scoped);
    return scoped;
  }

  /** Timers still pending. */
  get pending(): number {
    return this.live.size;
  }

  cancelAll(): void {
    for (const h of [...this.live]) h.cancel();
  }
}
