import { Inject, Injectable, Logger } from '@nestjs/common';
import { LAB_CLUSTERS, type LabClusterGateway } from '../clusters/lab-clusters';
import { AttemptLifecycle } from './attempt-lifecycle';
import { AttemptMetrics } from './attempt-metrics';
import { ATTEMPT_STORE, JOB_STORE, type AttemptStore, type JobStore } from './attempt.store';
import { ClusterRecovery } from './cluster-recovery';
import { LiveChecks } from './live-checks';
import { unheldClusters } from './unheld-clusters';

/** What the reconciler did at start-up, for the log and the tests. */
export interface ReconcileReport {
  adopted: string[];
  restarted: string[];
  recovered: string[];
  requeued: string[];
  reaped: string[];
}

/**
 * Runs once at start-up, before the queue takes jobs: adopts live clusters of ready attempts
 * (their live checks start again), restarts provisioning that a crash cut short on a fresh cluster,
 * gives queued attempts that lost their job a new one, recovers ready attempts whose cluster is
 * gone, and deletes attempt clusters that no live attempt holds. No attempt, check run or hint is
 * touched otherwise.
 */
@Injectable()
export class AttemptReconciler {
  private readonly logger = new Logger('AttemptReconciler');

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(JOB_STORE) private readonly jobs: JobStore,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(AttemptLifecycle) private readonly lifecycle: AttemptLifecycle,
    @Inject(LiveChecks) private readonly live: LiveChecks,
    @Inject(ClusterRecovery) private readonly recovery: ClusterRecovery,
    @Inject(AttemptMetrics) private readonly metrics: AttemptMetrics,
  ) {}

  /** `singleProcess`: the embedded database, where no other replica can hold a lease. */
  async reconcile(singleProcess: boolean): Promise<ReconcileReport> {
    const report: ReconcileReport = { adopted: [], restarted: [], recovered: [], requeued: [], reaped: [] };
    if (singleProcess) await this.jobs.releaseAllLeases();
    const existing = await this.clusters.existing();
    const live = await this.store.listLive();
    for (const attempt of live) {
      const pending = await this.jobs.pendingFor(attempt.id);
      if (attempt.state === 'queued') {
        if (!pending.some((j) => j.generation === attempt.generation)) {
          await this.jobs.enqueue('provision', attempt.id, attempt.generation);
          report.requeued.push(attempt.id);
        }
      } else if (attempt.state === 'provisioning') {
        if (pending.some((j) => j.leased)) continue; // another replica is on it
        await this.lifecycle
          .apply(
            attempt,
            'recover',
            `provisioning was cut short at step ${attempt.step ?? 'start'} (server restart)`,
          )
          .then(() => report.restarted.push(attempt.id))
          .catch((error: unknown) => this.logger.warn(`restart ${attempt.id}: ${String(error)}`));
      } else if (attempt.clusterName && existing.has(attempt.clusterName)) {
        await this.store.log(attempt.id, {
          type: 'adopted',
          cause: `cluster ${attempt.clusterName} found at start-up`,
        });
        await this.live.start(attempt);
        report.adopted.push(attempt.id);
      } else {
        await this.recovery.recover(attempt, 'it did not survive a restart of the lab server');
        report.recovered.push(attempt.id);
      }
    }
    for (const name of unheldClusters(existing, live, this.clusters)) {
      await this.clusters.delete(name).then(
        () => report.reaped.push(name),
        (error: unknown) => this.logger.warn(`reap ${name}: ${String(error)}`),
      );
    }
    for (const action of ['adopted', 'restarted', 'recovered', 'requeued', 'reaped'] as const)
      this.metrics.reconciler(action, report[action].length);
    this.logger.log(
      `reconciled: ${report.adopted.length} adopted, ${report.restarted.length} provisioning restarted, ${report.recovered.length} recovered, ${report.requeued.length} requeued, ${report.reaped.length} clusters reaped`,
    );
    return report;
  }
}
