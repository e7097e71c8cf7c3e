import { Inject, Injectable, Logger } from '@nestjs/common';
import { GraderError, GraderErrorCode } from '@netlab/grader';
import { CLOCK, type Clock } from '../common/clock';
import { AppError, AppErrorCode } from '../common/app-error';
import { LAB_CLUSTERS, type LabClusterGateway } from '../clusters/lab-clusters';
import { AttemptLabs } from './attempt-labs';
import { AttemptMetrics } from './attempt-metrics';
import { AttemptLifecycle } from './attempt-lifecycle';
import { scoreOf } from './attempt-score';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';
import type { AttemptRecord, CheckRunRecord, CheckTrigger } from './attempt.types';
import { AttemptNotifier } from './attempt.notifier';
import { ClusterRecovery } from './cluster-recovery';

/** Grades running at once in this process, all attempts together (live grades queue behind). */
export const MAX_CONCURRENT_GRADES = 8;

/**
 * Grades an attempt on its cluster, persists the check run with evidence and diagnosis, pushes it,
 * and moves the attempt to passed when every check passes (or to failed when a finish does not).
 */
@Injectable()
export class AttemptGrading {
  private readonly logger = new Logger('AttemptGrading');
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(AttemptLabs) private readonly labs: AttemptLabs,
    @Inject(AttemptLifecycle) private readonly lifecycle: AttemptLifecycle,
    @Inject(AttemptNotifier) private readonly notifier: AttemptNotifier,
    @Inject(ClusterRecovery) private readonly recovery: ClusterRecovery,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(AttemptMetrics) private readonly metrics: AttemptMetrics,
  ) {}

  /** One grade of a ready attempt; null when the attempt left ready or lost its cluster meanwhile. */
  async grade(attempt: AttemptRecord, trigger: CheckTrigger): Promise<CheckRunRecord | null> {
    if (attempt.state !== 'ready' || !attempt.kubeconfig)
      throw new AppError(
        AppErrorCode.CONFLICT,
        `This attempt is ${attempt.state}; checks run only while its cluster is ready.`,
        { state: attempt.state },
      );
    const lab = await this.labs.of(attempt);
    const release = await this.slot();
    let report;
    try {
      report = await this.clusters.grade(attempt.kubeconfig, lab);
    } catch (error) {
      if (error instanceof GraderError && error.code === GraderErrorCode.CLUSTER_UNREACHABLE) {
        await this.recovery.checkCluster(attempt);
        return null;
      }
      throw error;
    } finally {
      release();
    }
    this.metrics.checkRun(trigger, report.durationMs / 1000);
    const now = await this.store.get(attempt.id);
    if (!now || now.state !== 'ready' || now.generation !== attempt.generation) return null;
    const hintCosts = (await this.store.listHintUses(attempt.id)).map((h) => h.cost);
    const readyAt = now.readyAt ?? now.createdAt;
    const score = scoreOf({
      report,
      hintCosts,
      minutesTaken: (this.clock.now().getTime() - readyAt.getTime()) / 60_000,
      estimatedMinutes: lab.definition.estimatedMinutes,
    });
    const run = await this.store.addCheckRun({
      attemptId: attempt.id,
      trigger,
      passed: report.passed,
      score,
      results: report.checks,
      startedAt: report.startedAt,
      durationMs: report.durationMs,
    });
    this.notifier.checkRun(now, run);
    try {
      if (report.passed)
        await this.lifecycle.apply(now, 'passed', `every check passed (${trigger} grade)`, {
          patch: { score },
          data: { checkRunId: run.id },
        });
      else if (trigger === 'final')
        await this.lifecycle.apply(now, 'finish-failed', 'the learner finished with checks failing', {
          patch: { score },
          data: { checkRunId: run.id },
        });
      else this.notifier.changed(now);
    } catch (error) {
      // Someone moved the attempt meanwhile (a reset, the reaper): the run is kept, the move is theirs.
      if (!(error instanceof AppError)) throw error;
    }
    return run;
  }

  private async slot(): Promise<() => void> {
    if (this.running >= MAX_CONCURRENT_GRADES) await new Promise<void>((r) => this.waiting.push(r));
    this.running++;
    return () => {
      this.running--;
      this.waiting.shift()?.();
    };
  }
}
