import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../common/clock';
import { AppError, AppErrorCode } from '../common/app-error';
import { LAB_CLUSTERS, type LabClusterGateway } from '../clusters/lab-clusters';
import { limitsOf } from './attempt-limits';
import { AttemptLabs } from './attempt-labs';
import { transition, type AttemptEffect, type AttemptEventType } from './attempt-machine';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';
import type { AttemptPatch, AttemptRecord } from './attempt.types';
import { AttemptNotifier } from './attempt.notifier';

/** Runs after a transition is persisted, with the attempt before and after it. */
export type EffectReaction = (before: AttemptRecord, after: AttemptRecord) => Promise<void> | void;

/** Effects run in this order after the transition is written. */
const ORDER: AttemptEffect[] = [
  'cancel-provision',
  'stop-live-checks',
  'delete-cluster',
  'enqueue-provision',
  'start-live-checks',
];

/**
 * The one way an attempt changes state: checks the transition table, writes the new state and the
 * event log entry (conditionally on the state it was in, so racing callers cannot both win), then
 * runs the effects. A crash between the write and the effects leaves work the reconciler finishes:
 * an orphan cluster is reaped, a queued attempt without a job gets one.
 */
@Injectable()
export class AttemptLifecycle {
  private readonly logger = new Logger('Attempts');
  private readonly reactions = new Map<AttemptEffect, EffectReaction[]>();

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(AttemptNotifier) private readonly notifier: AttemptNotifier,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(AttemptLabs) private readonly labs: AttemptLabs,
  ) {
    this.on('delete-cluster', (before) => this.deleteCluster(before));
  }

  /** Registers what another part of the attempts layer does for an effect (live checks, the queue). */
  on(effect: AttemptEffect, reaction: EffectReaction): void {
    this.reactions.set(effect, [...(this.reactions.get(effect) ?? []), reaction]);
  }

  /** Applies `event`; throws CONFLICT when the table has no such transition (or someone moved it first). */
  async apply(
    attempt: AttemptRecord,
    event: AttemptEventType,
    cause: string,
    extra: { patch?: AttemptPatch; data?: Record<string, unknown> } = {},
  ): Promise<AttemptRecord> {
    const t = transition(attempt.state, event);
    if (!t) throw refused(attempt, event);
    const clock = t.effects.includes('start-clock') || t.effects.includes('extend-clock');
    const ttlMinutes = clock
      ? limitsOf(await this.labs.of(attempt), this.config).ttlMinutes
      : this.config.attempts.defaultTtlMinutes;
    const patch = { ...this.patchFor(attempt, t.effects, ttlMinutes), ...extra.patch };
    const after = await this.store.transition(attempt.id, attempt.state, t.to, patch, {
      type: 'transition',
      cause,
      fromState: attempt.state,
      toState: t.to,
      data: { event, ...extra.data },
    });
    if (!after) {
      const now = await this.store.get(attempt.id);
      throw refused(now ?? attempt, event);
    }
    for (const effect of ORDER) {
      if (!t.effects.includes(effect)) continue;
      for (const reaction of this.reactions.get(effect) ?? []) {
        try {
          await reaction(attempt, after);
        } catch (error) {
          this.logger.error(`attempt ${attempt.id}: ${effect} after ${event} failed: ${String(error)}`);
        }
      }
    }
    this.notifier.changed(after);
    return after;
  }

  private patchFor(a: AttemptRecord, effects: readonly AttemptEffect[], ttlMinutes: number): AttemptPatch {
    const now = this.clock.now();
    const ttlMs = ttlMinutes * 60_000;
    const patch: AttemptPatch = {};
    if (effects.includes('end')) Object.assign(patch, { activeKey: null, endedAt: now, step: null });
    if (effects.includes('start-clock'))
      Object.assign(patch, {
        readyAt: a.readyAt ?? now,
        expiresAt: new Date(now.getTime() + ttlMs),
        step: null,
      });
    if (effects.includes('extend-clock')) {
      const from = Math.max(a.expiresAt?.getTime() ?? now.getTime(), now.getTime());
      Object.assign(patch, { expiresAt: new Date(from + ttlMs), extended: true });
    }
    if (effects.includes('bump-generation'))
      Object.assign(patch, {
        generation: a.generation + 1,
        step: null,
        clusterName: null,
        kubeconfig: null,
        toolboxNamespace: null,
        toolboxPod: null,
        lastActivityAt: now,
      });
    return patch;
  }

  private async deleteCluster(before: AttemptRecord): Promise<void> {
    if (before.kubeconfig) await this.clusters.release(before.kubeconfig);
    if (!before.clusterName) return;
    // A cluster that cannot be deleted now is no longer held by a live attempt: the reaper retries.
    await this.clusters.delete(before.clusterName);
  }
}

function refused(attempt: AttemptRecord, event: AttemptEventType): AppError {
  return new AppError(
    AppErrorCode.CONFLICT,
    `This attempt is ${attempt.state}; it cannot ${event.replace('-', ' ')} now. Reload to see its current state.`,
    { state: attempt.state },
  );
}
