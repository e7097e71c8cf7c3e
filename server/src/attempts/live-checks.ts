import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { LAB_CLUSTERS, type LabClusterGateway } from '../clusters/lab-clusters';
import type { StopWatch } from '../clusters/cluster-watch';
import { AttemptGrading } from './attempt-grading';
import { AttemptLabs } from './attempt-labs';
import { AttemptLifecycle } from './attempt-lifecycle';
import { AttemptMetrics } from './attempt-metrics';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';
import type { AttemptRecord } from './attempt.types';
import { ClusterRecovery } from './cluster-recovery';

/** Quiet time after the last change before a live grade starts (changes come in bursts). */
export const LIVE_DEBOUNCE_MS = 250;

interface Live {
  attempt: AttemptRecord;
  stop: StopWatch;
  timer?: NodeJS.Timeout;
  grading: boolean;
  dirty: boolean;
  /** When the first change not yet seen by a grade arrived (for the live-check latency metric). */
  changedAt?: number;
}

/**
 * While an attempt is ready, informers on its lab namespaces trigger a debounced background grade,
 * so a check turns green without a button. An idle attempt costs its open watches and no CPU; at
 * most one live grade runs per attempt, and grades share a global bound (AttemptGrading).
 */
@Injectable()
export class LiveChecks implements OnApplicationShutdown {
  private readonly logger = new Logger('LiveChecks');
  private readonly live = new Map<string, Live>();

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(AttemptLabs) private readonly labs: AttemptLabs,
    @Inject(AttemptGrading) private readonly grading: AttemptGrading,
    @Inject(ClusterRecovery) private readonly recovery: ClusterRecovery,
    @Inject(AttemptLifecycle) lifecycle: AttemptLifecycle,
    @Inject(AttemptMetrics) private readonly metrics: AttemptMetrics,
  ) {
    lifecycle.on('start-live-checks', (_before, after) => this.start(after));
    lifecycle.on('stop-live-checks', (before) => this.stop(before.id));
  }

  /** Attempts watched now. */
  get size(): number {
    return this.live.size;
  }

  async start(attempt: AttemptRecord): Promise<void> {
    if (!attempt.kubeconfig || this.live.has(attempt.id)) return;
    const lab = await this.labs.of(attempt);
    const entry: Live = { attempt, stop: () => undefined, grading: false, dirty: false };
    this.live.set(attempt.id, entry);
    entry.stop = this.clusters.watch(attempt.kubeconfig, lab, {
      onChange: () => {
        entry.changedAt ??= performance.now();
        this.schedule(entry);
      },
      onError: () => void this.recovery.checkCluster(entry.attempt).catch(() => undefined),
    });
    this.schedule(entry); // show the checks' state under the fault right away
  }

  stop(attemptId: string): void {
    const entry = this.live.get(attemptId);
    if (!entry) return;
    this.live.delete(attemptId);
    clearTimeout(entry.timer);
    entry.stop();
  }

  private schedule(entry: Live): void {
    if (this.live.get(entry.attempt.id) !== entry) return;
    if (entry.grading) {
      entry.dirty = true;
      return;
    }
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => void this.run(entry), LIVE_DEBOUNCE_MS);
    entry.timer.unref();
  }

  private async run(entry: Live): Promise<void> {
    entry.grading = true;
    entry.dirty = false;
    const changedAt = entry.changedAt;
    entry.changedAt = undefined;
    try {
      const attempt = await this.store.get(entry.attempt.id);
      if (!attempt || attempt.state !== 'ready') return this.stop(entry.attempt.id);
      entry.attempt = attempt;
      const run = await this.grading.grade(attempt, 'live');
      if (run && changedAt !== undefined)
        this.metrics.liveCheckLatency((performance.now() - changedAt) / 1000);
    } catch (error) {
      this.logger.warn(`live grade of attempt ${entry.attempt.id} failed: ${String(error)}`);
    } finally {
      entry.grading = false;
      if (entry.dirty) this.schedule(entry);
    }
  }

  onApplicationShutdown(): void {
    for (const id of [...this.live.keys()]) this.stop(id);
  }
}
