import { Inject, Injectable, Logger } from '@nestjs/common';
import { LAB_CLUSTERS, type LabClusterGateway } from '../../clusters/lab-clusters';
import { AttemptLabs } from '../attempt-labs';
import { AttemptLifecycle } from '../attempt-lifecycle';
import { PROVISIONING_STEPS, type ProvisioningStep } from '../attempt-state';
import { ATTEMPT_STORE, type AttemptStore } from '../attempt.store';
import type { AttemptRecord } from '../attempt.types';
import { AttemptMetrics } from '../attempt-metrics';
import { AttemptNotifier } from '../attempt.notifier';
import { describeProvisionFailure, isTransient } from './provision-failure';
import { ReadyPool, type ReadyCluster } from './ready-pool';

/** Fresh-cluster retries of a transient provisioning failure before the attempt fails. */
export const MAX_PROVISION_RETRIES = 2;

/** Label on every attempt cluster: the attempt that owns it. */
export const ATTEMPT_LABEL = 'netlab.dev/attempt';
/** Prefix of attempt cluster names; the reaper only ever deletes clusters carrying it. */
export const ATTEMPT_CLUSTER_PREFIX = 'na-';

/** The cluster name of an attempt's generation (≤ 40 characters, unique per reset). */
export function attemptClusterName(attempt: Pick<AttemptRecord, 'id' | 'generation'>): string {
  return `${ATTEMPT_CLUSTER_PREFIX}${attempt.id.replace(/-/g, '').slice(0, 16)}-g${attempt.generation}`;
}

/**
 * Provisions one attempt: the named steps cluster → setup → fault → toolbox, each recorded before
 * it runs (so a crash shows where it stopped), then `provisioned`. A failure ends the attempt with a
 * sentence for the learner and the cause for the operator; a cancellation (reset, abandon) just stops.
 */
@Injectable()
export class Provisioner {
  private readonly logger = new Logger('Provisioner');
  private readonly retries = new Map<string, number>();

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(AttemptLabs) private readonly labs: AttemptLabs,
    @Inject(AttemptLifecycle) private readonly lifecycle: AttemptLifecycle,
    @Inject(AttemptNotifier) private readonly notifier: AttemptNotifier,
    @Inject(AttemptMetrics) private readonly metrics: AttemptMetrics,
    @Inject(ReadyPool) private readonly readyPool: ReadyPool,
  ) {}

  async run(queued: AttemptRecord, signal: AbortSignal, stepPauseMs = 0): Promise<void> {
    // The wait in the queue of a first provisioning (a reset's wait has no timestamp of its own).
    if (queued.generation === 0 && !queued.readyAt)
      this.metrics.step('queued', (Date.now() - queued.createdAt.getTime()) / 1000);
    let attempt = await this.lifecycle.apply(queued, 'provision', 'a provisioning job started');
    let step: ProvisioningStep | null = null;
    let stepStarted = 0;
    const endStep = () => {
      if (step) this.metrics.step(step, (performance.now() - stepStarted) / 1000);
    };
    const begin = async (name: ProvisioningStep, patch: Parameters<AttemptStore['update']>[1] = {}) => {
      if (signal.aborted) throw new Cancelled();
      endStep();
      step = name;
      stepStarted = performance.now();
      attempt = await this.store.update(
        attempt.id,
        { step: name, ...patch },
        { type: 'step', cause: `step ${name} started`, data: { step: name } },
      );
      this.notifier.changed(attempt);
      if (stepPauseMs > 0) await new Promise((r) => setTimeout(r, stepPauseMs));
    };
    try {
      const lab = await this.labs.of(attempt);
      const ready = this.readyPool.take(attempt);
      if (ready) {
        await this.recordReady(ready, begin);
        this.retries.delete(attempt.id);
        endStep();
        await this.lifecycle.apply(
          attempt,
          'provisioned',
          `took a cluster of this lab provisioned ahead (ready since ${ready.readyAt.toISOString()})`,
          {
            patch: { toolboxNamespace: ready.toolbox.namespace, toolboxPod: ready.toolbox.pod },
            data: {
              steps: PROVISIONING_STEPS.map((s) => s.name),
              provisionedAhead: ready.readyAt.toISOString(),
            },
          },
        );
        return;
      }
      const name = attemptClusterName(attempt);
      // The name is written before the cluster exists, so a crash mid-create leaves nothing unknown.
      await begin('cluster', { clusterName: name, clusterProvider: this.clusters.providerKind });
      const spec = this.clusters.specFor(lab, name, { [ATTEMPT_LABEL]: attempt.id });
      const handle = await this.clusters.acquire(spec, signal);
      const kubeconfig = handle.kubeconfig;
      // The toolbox pod does not depend on the lab: start it now, wait for it in its own step.
      const toolbox = this.clusters.ensureToolbox(kubeconfig, signal);
      toolbox.catch(() => undefined);
      // The cluster (a pool cluster has a name of its own) is recorded with the step that uses it.
      await begin('setup', { clusterName: handle.name, kubeconfig });
      await this.clusters.applySetup(kubeconfig, lab, handle.name);
      await begin('fault');
      await this.clusters.applyFault(kubeconfig, lab, handle.name);
      await begin('toolbox');
      const ref = await toolbox;
      if (signal.aborted) throw new Cancelled();
      this.retries.delete(attempt.id);
      endStep();
      await this.lifecycle.apply(attempt, 'provisioned', 'every provisioning step is done', {
        patch: { toolboxNamespace: ref.namespace, toolboxPod: ref.pod },
        data: { steps: PROVISIONING_STEPS.map((s) => s.name) },
      });
    } catch (error) {
      if (error instanceof Cancelled || signal.aborted) return;
      const failure = describeProvisionFailure(step, error);
      this.logger.error(`attempt ${attempt.id} failed to provision: ${failure.cause}`);
      const now = await this.store.get(attempt.id);
      if (now?.state !== 'provisioning' || now.generation !== attempt.generation) return;
      const retried = this.retries.get(now.id) ?? 0;
      if (isTransient(error) && retried < MAX_PROVISION_RETRIES) {
        this.retries.set(now.id, retried + 1);
        await this.lifecycle.apply(
          now,
          'recover',
          `retry ${retried + 1} on a fresh cluster after ${failure.cause}`,
        );
        return;
      }
      this.retries.delete(now.id);
      await this.lifecycle.apply(now, 'provision-failed', failure.cause, {
        patch: { message: failure.message, failureCause: failure.cause, step },
        data: { step },
      });
    }
  }

  /**
   * Records a cluster the ready pool provisioned ahead (setup, fault and toolbox done with the
   * attempt's seed) with the cluster step. A cancellation before it is recorded deletes it, so it is
   * never left to nobody.
   */
  private async recordReady(
    ready: ReadyCluster,
    begin: (name: ProvisioningStep, patch: Parameters<AttemptStore['update']>[1]) => Promise<void>,
  ): Promise<void> {
    const { handle } = ready;
    try {
      await begin('cluster', {
        clusterName: handle.name,
        clusterProvider: this.clusters.providerKind,
        kubeconfig: handle.kubeconfig,
      });
    } catch (error) {
      await this.clusters.delete(handle.name).catch(() => undefined);
      throw error;
    } finally {
      ready.release();
    }
  }
}

class Cancelled extends Error {}
