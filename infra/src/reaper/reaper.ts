import type { ClusterProvider } from '../providers/provider';

/** Why a cluster was reaped. */
export type ReapReason = 'ttl' | 'idle' | 'orphaned';

/** One cluster the reaper removed (or tried to). */
export interface ReapResult {
  name: string;
  reason: ReapReason;
  ageMs: number;
  deleted: boolean;
  error?: string;
}

/** A provider that can also drop bookkeeping left by clusters removed behind its back (kind can). */
export type ReapableProvider = ClusterProvider & { pruneRecords?(olderThanMs: number): Promise<string[]> };

/** What the reaper needs to know; the server plugs in its database through `liveClusters` and `lastActivity`. */
export interface ReaperOptions {
  provider: ReapableProvider;
  /** Names of the clusters live attempts hold. If this throws, nothing is reaped. */
  liveClusters: () => Promise<Iterable<string>> | Iterable<string>;
  /** Names the warm pool holds or is creating (the pool's `names()`). */
  pooledClusters?: () => Iterable<string>;
  /** When an attempt's cluster was last used (terminal, checks); undefined when unknown. */
  lastActivity?: (name: string) => Promise<Date | undefined> | Date | undefined;
  /** Longest life of an attempt's cluster (default 4 h). */
  ttlMs?: number;
  /** Unused this long, an attempt's cluster is reaped (default 30 min; 0 turns it off). */
  idleMs?: number;
  /** An unowned cluster younger than this may still be on its way to an attempt (default 10 min). */
  graceMs?: number;
  /** Time between sweeps after `start()` (default 60 s). */
  intervalMs?: number;
  now?: () => Date;
  onReaped?: (result: ReapResult) => void;
  /** A sweep that failed as a whole (e.g. the database did not answer). */
  onError?: (error: unknown) => void;
}

/**
 * Deletes netlab clusters past their TTL, idle too long, or owned by no live attempt and no pool
 * (a crash, a lost delete); at start-up and then periodically.
 */
export class Reaper {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<ReapResult[]> | undefined;

  constructor(private readonly options: ReaperOptions) {}

  /** Sweeps now, then every `intervalMs`; resolves with the first sweep's results. */
  async start(): Promise<ReapResult[]> {
    this.stop();
    const first = await this.sweep();
    this.timer = setInterval(() => {
      this.sweep().catch((err: unknown) => this.options.onError?.(err));
    }, this.options.intervalMs ?? 60_000);
    this.timer.unref?.();
    return first;
  }

  /** Stops the periodic sweeps (a sweep under way finishes). */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** One pass over the provider's clusters; a sweep already under way is shared, not doubled. */
  sweep(): Promise<ReapResult[]> {
    this.running ??= this.sweepOnce().finally(() => (this.running = undefined));
    return this.running;
  }

  /** Why this cluster should go, or undefined to keep it. */
  private async verdict(
    name: string,
    ageMs: number,
    live: Set<string>,
    pooled: Set<string>,
  ): Promise<ReapReason | undefined> {
    const o = this.options;
    if (pooled.has(name)) return undefined;
    if (!live.has(name)) return ageMs > (o.graceMs ?? 600_000) ? 'orphaned' : undefined;
    if (ageMs > (o.ttlMs ?? 4 * 3_600_000)) return 'ttl';
    const idleMs = o.idleMs ?? 1_800_000;
    if (idleMs > 0 && o.lastActivity) {
      const last = await o.lastActivity(name);
      if (last && this.now().getTime() - last.getTime() > idleMs) return 'idle';
    }
    return undefined;
  }

  private async sweepOnce(): Promise<ReapResult[]> {
    const clusters = await this.options.provider.list();
    // Ownership is read after the list, so a cluster an attempt took meanwhile is seen as live.
    const live = new Set(await this.options.liveClusters());
    const pooled = new Set(this.options.pooledClusters?.() ?? []);
    const results: ReapResult[] = [];
    for (const cluster of clusters) {
      const ageMs = this.now().getTime() - cluster.createdAt.getTime();
      const reason = await this.verdict(cluster.name, ageMs, live, pooled);
      if (!reason) continue;
      const result: ReapResult = { name: cluster.name, reason, ageMs, deleted: false };
      try {
        await this.options.provider.delete(cluster.name);
        result.deleted = true;
      } catch (err) {
        result.error = err instanceof Error ? err.message : String(err);
      }
      results.push(result);
      this.options.onReaped?.(result);
    }
    await this.options.provider
      .pruneRecords?.(this.options.graceMs ?? 600_000)
      .catch((err: unknown) => this.options.onError?.(err));
    return results;
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }
}
