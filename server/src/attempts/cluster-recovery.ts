import { Inject, Injectable, Logger } from '@nestjs/common';
import { LAB_CLUSTERS, type LabClusterGateway } from '../clusters/lab-clusters';
import { AttemptLifecycle } from './attempt-lifecycle';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';
import type { AttemptRecord } from './attempt.types';

/**
 * When an attempt's cluster is gone (its sim host died, a restart lost it): a fresh cluster with
 * the same lab and parameters, and the learner told why.
 */
@Injectable()
export class ClusterRecovery {
  private readonly logger = new Logger('ClusterRecovery');

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(AttemptLifecycle) private readonly lifecycle: AttemptLifecycle,
  ) {}

  /** Recovers the attempt when its cluster no longer exists; does nothing while it does. */
  async checkCluster(attempt: AttemptRecord): Promise<boolean> {
    if (!attempt.clusterName) return false;
    const existing = await this.clusters.existing().catch(() => undefined);
    if (!existing || existing.has(attempt.clusterName)) return false;
    await this.recover(attempt, 'the cluster no longer exists');
    return true;
  }

  /** Starts a fresh cluster for the attempt with `reason` for the learner. */
  async recover(attempt: AttemptRecord, reason: string): Promise<void> {
    const current = await this.store.get(attempt.id);
    if (!current || (current.state !== 'ready' && current.state !== 'provisioning')) return;
    if (current.clusterName !== attempt.clusterName) return;
    this.logger.warn(
      `attempt ${attempt.id}: cluster ${attempt.clusterName} lost (${reason}); making a fresh one`,
    );
    await this.lifecycle
      .apply(current, 'recover', `cluster ${attempt.clusterName} lost: ${reason}`, {
        patch: {
          message: `Your lab's cluster was lost (${reason}). A fresh cluster with the same lab is being prepared; changes you made are gone, so start the fix again.`,
        },
      })
      .catch(() => undefined);
  }
}
