import { randomBytes } from 'node:crypto';
import type { ClusterHandle, ClusterProvider, ClusterSpec, ClusterSummary } from '../providers/provider';
import { POOL_LABEL, profileKey, type ClusterProfile } from './cluster-profile';

/** A provider the pool can also adopt existing clusters from (the kind provider can). */
export type PoolProvider = ClusterProvider & {
  handleFor?(summary: ClusterSummary, spec: ClusterSpec): Promise<ClusterHandle>;
};

/** How many warm clusters to keep of one profile. */
export interface PoolTarget {
  profile: ClusterProfile;
  size: number;
}

/** What the pool did, for logs and metrics. */
export type PoolEvent =
  | { type: 'created'; profile: string; name: string; ms: number }
  | { type: 'create-failed'; profile: string; name: string; error: unknown; retryInMs: number }
  | { type: 'claimed'; profile: string; name: string }
  | { type: 'adopted'; profile: string; name: string }
  | { type: 'adopt-failed'; error: unknown }
  | { type: 'drained'; profile: string; name: string; error?: unknown };

/** Pool settings; only `provider` and `targets` are required. */
export interface WarmPoolOptions {
  provider: PoolProvider;
  targets: readonly PoolTarget[];
  /** Creates in flight at once across all profiles (parallel kind creates are flaky: default 1). */
  concurrency?: number;
  /** Wait after a failed create, doubled per failure in a row up to `maxRetryDelayMs` (default 5 s, 5 min). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Name for a new pool cluster (default `netlab-<profile>-<8 random chars>`). */
  newName?: (profile: ClusterProfile) => string;
  onEvent?: (event: PoolEvent) => void;
  now?: () => number;
}

/** One profile's state, as `status()` reports it. */
export interface PoolProfileStatus {
  profile: string;
  target: number;
  warm: number;
  creating: number;
  failuresInARow: number;
  lastError?: string;
}

interface Slot {
  key: string;
  profile: ClusterProfile;
  size: number;
  /** Warm clusters, oldest first; a Map gives O(1) take-first and remove-by-name. */
  warm: Map<string, ClusterHandle>;
  creating: Set<string>;
  failures: number;
  retryAt: number;
  lastError?: string;
}

/**
 * Warm clusters per profile: `claim` hands one out in constant time, and a background refill with
 * bounded concurrency creates replacements, backing off after failures.
 */
export class WarmPool {
  private readonly slots = new Map<string, Slot>();
  private readonly concurrency: number;
  private readonly now: () => number;
  private readonly inFlight = new Map<string, AbortController>();
  private readonly waiters: (() => void)[] = [];
  private retryTimer: NodeJS.Timeout | undefined;
  private running = false;

  constructor(private readonly options: WarmPoolOptions) {
    this.concurrency = Math.max(1, options.concurrency ?? 1);
    this.now = options.now ?? Date.now;
    for (const t of options.targets) {
      const key = profileKey(t.profile);
      this.slots.set(key, {
        key,
        profile: t.profile,
        size: Math.max(0, t.size),
        warm: new Map(),
        creating: new Set(),
        failures: 0,
        retryAt: 0,
      });
    }
  }

  /**
   * Adopts warm clusters left by a previous run (pool-labelled, of a configured profile, and not in
   * `owned` — the clusters live attempts hold), then starts refilling.
   */
  async start(owned: () => Promise<Iterable<string>> | Iterable<string> = () => []): Promise<void> {
    this.running = true;
    const handleFor = this.options.provider.handleFor?.bind(this.options.provider);
    if (handleFor) {
      let existing: ClusterSummary[] = [];
      let taken = new Set<string>();
      try {
        taken = new Set(await owned());
        existing = await this.options.provider.list();
      } catch (error) {
        // Adoption is an optimisation: without it the pool simply creates fresh clusters.
        this.emit({ type: 'adopt-failed', error });
      }
      for (const summary of existing) {
        const key = summary.labels[POOL_LABEL];
        const slot = key ? this.slots.get(key) : undefined;
        if (!slot || taken.has(summary.name) || slot.warm.size >= slot.size) continue;
        try {
          slot.warm.set(summary.name, await handleFor(summary, this.specFor(slot, summary.name)));
          this.emit({ type: 'adopted', profile: slot.key, name: summary.name });
        } catch {
          // Not usable (e.g. half-deleted): the reaper removes it as an orphan.
        }
      }
    }
    this.pump();
  }

  /** A warm cluster of this profile, or undefined when none is ready (then create one cold). Constant time. */
  claim(profile: ClusterProfile): ClusterHandle | undefined {
    const slot = this.slots.get(profileKey(profile));
    if (!slot) return undefined;
    const first = slot.warm.entries().next();
    if (first.done) return undefined;
    const [name, handle] = first.value;
    slot.warm.delete(name);
    this.emit({ type: 'claimed', profile: slot.key, name });
    queueMicrotask(() => this.pump());
    return handle;
  }

  /** Names of every cluster the pool holds or is creating: the reaper must leave them alone. */
  names(): Set<string> {
    const names = new Set<string>();
    for (const slot of this.slots.values()) {
      for (const n of slot.warm.keys()) names.add(n);
      for (const n of slot.creating) names.add(n);
    }
    return names;
  }

  /** Target, warm and creating counts per profile, and the last error. */
  status(): PoolProfileStatus[] {
    return [...this.slots.values()].map((s) => ({
      profile: s.key,
      target: s.size,
      warm: s.warm.size,
      creating: s.creating.size,
      failuresInARow: s.failures,
      ...(s.lastError ? { lastError: s.lastError } : {}),
    }));
  }

  /** Resolves once nothing is being created and nothing is left to start (now, not after a back-off). */
  async settled(): Promise<void> {
    await Promise.resolve(); // let a refill that a claim queued start first
    if (!this.inFlight.size) return;
    await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Stops refilling and cancels creates in flight; with `drain`, also deletes every warm cluster. */
  async stop(options: { drain?: boolean } = {}): Promise<void> {
    this.running = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    for (const controller of this.inFlight.values()) controller.abort();
    await this.settled();
    if (!options.drain) return;
    for (const slot of this.slots.values()) {
      for (const name of [...slot.warm.keys()]) {
        slot.warm.delete(name);
        try {
          await this.options.provider.delete(name);
          this.emit({ type: 'drained', profile: slot.key, name });
        } catch (error) {
          this.emit({ type: 'drained', profile: slot.key, name, error });
        }
      }
    }
  }

  private pump(): void {
    if (!this.running) return;
    while (this.inFlight.size < this.concurrency) {
      const slot = this.neediest();
      if (!slot) break;
      this.fill(slot);
    }
    this.scheduleRetry();
  }

  /** The profile furthest below its target that is not backing off. */
  private neediest(): Slot | undefined {
    let best: Slot | undefined;
    let bestGap = 0;
    const now = this.now();
    for (const slot of this.slots.values()) {
      const gap = slot.size - slot.warm.size - slot.creating.size;
      if (gap > bestGap && slot.retryAt <= now) {
        best = slot;
        bestGap = gap;
      }
    }
    return best;
  }

  private fill(slot: Slot): void {
    const name = this.options.newName?.(slot.profile) ?? `netlab-${slot.key}-${randomName()}`;
    const controller = new AbortController();
    slot.creating.add(name);
    this.inFlight.set(name, controller);
    const started = this.now();
    this.options.provider
      .create(this.specFor(slot, name), controller.signal)
      .then(
        (handle) => {
          slot.failures = 0;
          slot.lastError = undefined;
          slot.warm.set(name, handle);
          this.emit({ type: 'created', profile: slot.key, name, ms: this.now() - started });
        },
        (error: unknown) => {
          if (!this.running) return; // cancelled by stop(): not a failure of the host
          slot.failures += 1;
          const base = this.options.retryDelayMs ?? 5_000;
          const retryInMs = Math.min(
            base * 2 ** (slot.failures - 1),
            this.options.maxRetryDelayMs ?? 300_000,
          );
          slot.retryAt = this.now() + retryInMs;
          slot.lastError = error instanceof Error ? error.message : String(error);
          this.emit({ type: 'create-failed', profile: slot.key, name, error, retryInMs });
        },
      )
      .finally(() => {
        slot.creating.delete(name);
        this.inFlight.delete(name);
        this.pump();
        if (!this.inFlight.size) this.waiters.splice(0).forEach((w) => w());
      });
  }

  private scheduleRetry(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (!this.running || this.inFlight.size >= this.concurrency) return;
    const waiting = [...this.slots.values()].filter(
      (s) => s.retryAt > this.now() && s.size > s.warm.size + s.creating.size,
    );
    if (!waiting.length) return;
    const next = Math.min(...waiting.map((s) => s.retryAt));
    this.retryTimer = setTimeout(() => this.pump(), Math.max(0, next - this.now()));
    this.retryTimer.unref?.();
  }

  private specFor(slot: Slot, name: string): ClusterSpec {
    return {
      name,
      nodes: slot.profile.nodes,
      cni: slot.profile.cni,
      networkPolicy: true,
      labels: { [POOL_LABEL]: slot.key },
    };
  }

  private emit(event: PoolEvent): void {
    this.options.onEvent?.(event);
  }
}

function randomName(): string {
  return [...randomBytes(8)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
}
