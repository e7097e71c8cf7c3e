/**
 * Time as the shell's tools see it. Real curl, wget and ping wait on real timers; tests inject a
 * {@link VirtualClock} so a 130-second connect timeout costs nothing.
 */
export interface ShellClock {
  /** Milliseconds since an arbitrary origin. */
  now(): number;
  /** Waits `ms`; resolves true when the time passed, false as soon as `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<boolean>;
  /** Wall-clock date, for `date` and dig's `WHEN:` line. */
  date(): Date;
}

/** The real clock: setTimeout and Date.now. */
export const realClock: ShellClock = {
  now: () => Date.now(),
  date: () => new Date(),
  sleep(ms, signal) {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve(false);
      // A server waiting for its kill: no timer (setTimeout would clamp Infinity to 1 ms).
      if (!Number.isFinite(ms)) {
        signal?.addEventListener('abort', () => resolve(false), { once: true });
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  },
};

interface PendingSleep {
  due: number;
  resolve: (completed: boolean) => void;
}

/**
 * A clock for tests. With `autoAdvance`, time jumps to each sleep's end as soon as nothing else can
 * run; without it, sleeps wait until {@link VirtualClock.advance} moves time past them (or their
 * signal aborts).
 */
export class VirtualClock implements ShellClock {
  private current = 0;
  private readonly pending = new Set<PendingSleep>();
  private jumpScheduled = false;

  constructor(private readonly options: { autoAdvance: boolean; start?: Date } = { autoAdvance: true }) {}

  now(): number {
    return this.current;
  }

  date(): Date {
    return new Date((this.options.start ?? new Date('2026-01-01T00:00:00Z')).getTime() + this.current);
  }

  sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const entry: PendingSleep = {
        due: this.current + ms,
        resolve: (completed) => {
          this.pending.delete(entry);
          signal?.removeEventListener('abort', onAbort);
          resolve(completed);
        },
      };
      const onAbort = () => entry.resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.add(entry);
      if (this.options.autoAdvance) this.scheduleJump();
    });
  }

  /**
   * Auto-advance: once everything runnable has run (a macrotask later), jump to the earliest sleep
   * and complete it; concurrent sleeps (a timeout racing a connect) finish in time order.
   */
  private scheduleJump(): void {
    if (this.jumpScheduled) return;
    this.jumpScheduled = true;
    setImmediate(() => {
      this.jumpScheduled = false;
      const next = [...this.pending].filter((p) => Number.isFinite(p.due)).sort((a, b) => a.due - b.due)[0];
      if (!next) return;
      this.current = Math.max(this.current, next.due);
      next.resolve(true);
      if ([...this.pending].some((p) => Number.isFinite(p.due))) this.scheduleJump();
    });
  }

  /** How many sleeps are waiting: lets a test know a tool is blocked before it acts. */
  get sleeping(): number {
    return this.pending.size;
  }

  /** Moves time forward by `ms`, completing the sleeps that fall due, in order. */
  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const next = [...this.pending].filter((p) => p.due <= target).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.current = next.due;
      next.resolve(true);
    }
    this.current = target;
    await settle();
  }
}

/** Lets pending promise chains run (they may start new sleeps). */
export function settle(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
