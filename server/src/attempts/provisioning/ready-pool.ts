import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ClusterHandle } from '@netlab/infra';
import { LAB_VERSIONS, type LabVersions } from '../../catalog/lab-versions';
import { LAB_CLUSTERS, type LabClusterGateway } from '../../clusters/lab-clusters';
import type { ToolboxRef } from '../../clusters/toolbox';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import type { ReadyPoolTarget } from '../../config/ready-pool.setting';
import { AttemptLabs } from '../attempt-labs';

/**
 * Prefix of ready-pool cluster names. It starts with the attempts' prefix (`na-`), so a cluster the
 * pool made and nothing holds any more (the server died) is reaped like any attempt cluster.
 */
export const READY_POOL_PREFIX = 'na-ready-';

/** A reservation no attempt took within this time goes back to the pool. */
const RESERVATION_MS = 120_000;

/** A lab's cluster made ahead: setup and fault applied with `seed`, toolbox running. */
export interface ReadyCluster {
  slug: string;
  labVersionId: string;
  seed: string;
  handle: ClusterHandle;
  toolbox: ToolboxRef;
  /** When it became ready. */
  readyAt: Date;
  /** Stops hiding the cluster from the reaper: call once an attempt has recorded it. */
  release: () => void;
}

/** Timing of the pool's fill (tests shorten it). */
export interface ReadyPoolTiming {
  concurrency: number;
  retryDelayMs: number;
  maxRetryDelayMs: number;
}

/** Nest injection token of the {@link ReadyPoolTiming}. */
export const READY_POOL_TIMING = Symbol('ReadyPoolTiming');

export const DEFAULT_READY_POOL_TIMING: ReadyPoolTiming = {
  concurrency: 2,
  retryDelayMs: 2000,
  maxRetryDelayMs: 60_000,
};

/**
 * Pre-provisioned clusters of the labs named in NETLAB_READY_POOL: each made as an attempt's would
 * be (cluster, setup, fault with a fresh random seed, toolbox) and graded once (its checks must fail
 * under the fault; the grader's probe pods stay for the learner's grades) before anyone asks, so starting such a
 * lab takes a claim instead of the provisioning steps. The learner's attempt is created with the
 * seed of the cluster reserved for it (its parameters are drawn when the pool makes the cluster, as
 * they would be at start), and the provisioner takes the cluster for that seed; a reset, or a
 * reservation lost to a crash, provisions the same seed afresh. Clusters of a lab version that is
 * no longer current are deleted. The pool refills in the background, two clusters at a time.
 */
@Injectable()
export class ReadyPool implements OnApplicationShutdown {
  private readonly logger = new Logger('ReadyPool');
  private readonly ready: ReadyCluster[] = [];
  private readonly reserved = new Map<string, { cluster: ReadyCluster; at: number }>();
  /** Clusters being made, per slug. */
  private readonly making = new Map<string, number>();
  /** Failed makes in a row, per slug; a slug in `backingOff` waits for its retry timer. */
  private readonly failures = new Map<string, number>();
  private readonly backingOff = new Set<string>();
  private readonly current = new Map<string, string>();
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private readonly aborts = new AbortController();
  private inFlight = 0;
  private started = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'readyPool'>,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(LAB_VERSIONS) private readonly versions: LabVersions,
    @Inject(AttemptLabs) private readonly labs: AttemptLabs,
    @Inject(READY_POOL_TIMING) private readonly timing: ReadyPoolTiming,
  ) {}

  get targets(): readonly ReadyPoolTarget[] {
    return this.config.readyPool;
  }

  /** Starts filling (a no-op without targets). */
  start(): void {
    if (this.started || this.stopped || this.targets.length === 0) return;
    this.started = true;
    this.logger.log(
      `keeping ${this.targets.map((t) => `${t.size} of ${t.slug}`).join(', ')} provisioned ahead`,
    );
    this.fill();
  }

  /** Ready clusters per slug (reserved ones excluded). */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const c of this.ready) out[c.slug] = (out[c.slug] ?? 0) + 1;
    return out;
  }

  /** Reserves a ready cluster of this lab version for an attempt about to be created: its seed. */
  reserve(labVersionId: string): string | undefined {
    this.expireReservations();
    const index = this.ready.findIndex((c) => c.labVersionId === labVersionId);
    if (index < 0) return undefined;
    const [cluster] = this.ready.splice(index, 1) as [ReadyCluster];
    this.reserved.set(cluster.seed, { cluster, at: Date.now() });
    this.fill();
    return cluster.seed;
  }

  /**
   * The attempt was not created after all (the learner had one already): the cluster goes back, or
   * is deleted when its replacement is already made or being made (the pool never outgrows its size).
   */
  unreserve(seed: string): void {
    const entry = this.reserved.get(seed);
    if (!entry) return;
    this.reserved.delete(seed);
    const target = this.targets.find((t) => t.slug === entry.cluster.slug);
    if (target && this.shortOf(target) > 0) this.ready.push(entry.cluster);
    else void this.discard(entry.cluster);
  }

  /** The cluster reserved for this attempt's lab version and seed, handed over for good. */
  take(attempt: { labVersionId: string; seed: string }): ReadyCluster | undefined {
    const entry = this.reserved.get(attempt.seed);
    if (!entry || entry.cluster.labVersionId !== attempt.labVersionId) return undefined;
    this.reserved.delete(attempt.seed);
    return entry.cluster;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  /** Stops filling and deletes every cluster nobody took. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.aborts.abort();
    for (const t of this.retryTimers) clearTimeout(t);
    const left = [...this.ready, ...[...this.reserved.values()].map((r) => r.cluster)];
    this.ready.length = 0;
    this.reserved.clear();
    await Promise.all(left.map((c) => this.discard(c)));
  }

  private expireReservations(): void {
    const now = Date.now();
    for (const [seed, entry] of this.reserved)
      if (now - entry.at > RESERVATION_MS) {
        this.reserved.delete(seed);
        this.ready.push(entry.cluster);
      }
  }

  /** Starts makes for the labs short of their size, up to the concurrency. */
  private fill(): void {
    if (!this.started || this.stopped) return;
    for (const target of this.targets) {
      while (this.inFlight < this.timing.concurrency && this.shortOf(target) > 0) {
        this.inFlight++;
        this.making.set(target.slug, (this.making.get(target.slug) ?? 0) + 1);
        void this.make(target).finally(() => {
          this.inFlight--;
          this.making.set(target.slug, (this.making.get(target.slug) ?? 1) - 1);
          this.fill();
        });
      }
    }
  }

  private shortOf(target: ReadyPoolTarget): number {
    if (this.backingOff.has(target.slug)) return 0;
    const have = this.ready.filter((c) => c.slug === target.slug).length;
    return target.size - have - (this.making.get(target.slug) ?? 0);
  }

  private async make(target: ReadyPoolTarget): Promise<void> {
    const signal = this.aborts.signal;
    const seed = randomBytes(6).toString('hex');
    const name = `${READY_POOL_PREFIX}${seed}`;
    const holds = [this.clusters.hold(name)];
    let handle: ClusterHandle | undefined;
    try {
      const { labVersionId } = await this.versions.pin(target.slug);
      this.dropStale(target.slug, labVersionId);
      const lab = await this.labs.of({ labVersionId, seed });
      handle = await this.clusters.acquire(
        this.clusters.specFor(lab, name, { 'netlab.dev/ready-pool': target.slug }),
        signal,
      );
      if (handle.name !== name) holds.push(this.clusters.hold(handle.name));
      const toolbox = this.clusters.ensureToolbox(handle.kubeconfig, signal);
      toolbox.catch(() => undefined);
      await this.clusters.applySetup(handle.kubeconfig, lab, handle.name);
      await this.clusters.applyFault(handle.kubeconfig, lab, handle.name);
      const ref = await toolbox;
      // A first grade starts the grader's probe pods (the session is kept with the cluster), so the
      // learner's first live grade is cheap; and a cluster whose checks pass already is not faulted.
      const report = await this.clusters.grade(handle.kubeconfig, lab);
      if (report.passed)
        throw new Error("every check passes although the fault was applied: the lab's fault did not take");
      if (signal.aborted) throw signal.reason;
      this.failures.delete(target.slug);
      const release = () => holds.forEach((h) => h());
      const cluster = {
        slug: target.slug,
        labVersionId,
        seed,
        handle,
        toolbox: ref,
        readyAt: new Date(),
        release,
      };
      // The lab changed on disk while this one was made: it is of the old version.
      if (this.current.get(target.slug) !== labVersionId) await this.discard(cluster);
      else this.ready.push(cluster);
    } catch (error) {
      if (handle) {
        await this.clusters.release(handle.kubeconfig);
        await this.clusters.delete(handle.name).catch(() => undefined);
      }
      holds.forEach((h) => h());
      if (signal.aborted) return;
      const failed = (this.failures.get(target.slug) ?? 0) + 1;
      this.failures.set(target.slug, failed);
      const delay = Math.min(this.timing.retryDelayMs * 2 ** (failed - 1), this.timing.maxRetryDelayMs);
      this.logger.error(
        `a ready cluster of ${target.slug} failed (${failed} in a row; next try in ${delay} ms): ${String(error)}`,
      );
      // Back off this lab: no new make for it until the timer fires.
      this.backingOff.add(target.slug);
      const timer = setTimeout(() => {
        this.retryTimers.delete(timer);
        this.backingOff.delete(target.slug);
        this.fill();
      }, delay);
      timer.unref();
      this.retryTimers.add(timer);
    }
  }

  /** Deletes ready clusters of a lab version other than the current one. */
  private dropStale(slug: string, labVersionId: string): void {
    this.current.set(slug, labVersionId);
    for (let i = this.ready.length - 1; i >= 0; i--) {
      const c = this.ready[i]!;
      if (c.slug === slug && c.labVersionId !== labVersionId) {
        this.ready.splice(i, 1);
        void this.discard(c);
      }
    }
  }

  private async discard(cluster: ReadyCluster): Promise<void> {
    await this.clusters.release(cluster.handle.kubeconfig);
    await this.clusters.delete(cluster.handle.name).catch((error: unknown) => {
      this.logger.warn(`delete ready cluster ${cluster.handle.name}: ${String(error)}`);
    });
    cluster.release();
  }
}
