import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLOCK, type Clock } from '../common/clock';
import { LAB_CLUSTERS, type LabClusterGateway } from '../clusters/lab-clusters';
import { AttemptLabs } from './attempt-labs';
import { AttemptLifecycle } from './attempt-lifecycle';
import { limitsOf } from './attempt-limits';
import { AttemptMetrics } from './attempt-metrics';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';
import type { AttemptRecord } from './attempt.types';
import { AttemptNotifier } from './attempt.notifier';
import { unheldClusters } from './unheld-clusters';

/** How often expiry and the reaper look, and how early the learner is warned. */
export interface ExpiryTiming {
  tickMs: number;
  warnBeforeMs: number;
}
/** Nest injection token of the {@link ExpiryTiming} (defaults: every 15 s, warn 5 min before). */
export const EXPIRY_TIMING = Symbol('ExpiryTiming');
export const DEFAULT_EXPIRY_TIMING: ExpiryTiming = { tickMs: 15_000, warnBeforeMs: 5 * 60_000 };

/**
 * Ends ready attempts at their TTL or after the idle timeout (warning the learner before either),
 * and reaps clusters no live attempt holds (ended attempts whose delete failed, a crash between a
 * transition and its effect, leftovers of a previous run).
 */
@Injectable()
export class AttemptExpiry implements OnApplicationShutdown {
  private readonly logger = new Logger('AttemptExpiry');
  private readonly warned = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private ticking = false;

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(AttemptLifecycle) private readonly lifecycle: AttemptLifecycle,
    @Inject(AttemptNotifier) private readonly notifier: AttemptNotifier,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EXPIRY_TIMING) private readonly timing: ExpiryTiming,
    @Inject(AttemptMetrics) private readonly metrics: AttemptMetrics,
    @Inject(AttemptLabs) private readonly labs: AttemptLabs,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.timing.tickMs);
    this.timer.unref();
  }

  /** One look: expire, warn, reap. */
  async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      // Clusters are listed before attempts: a cluster's name is written before it is created, so
      // any cluster seen here that a live attempt holds is held in the list read after.
      const existing = await this.clusters.existing();
      const live = await this.store.listLive();
      for (const attempt of live) if (attempt.state === 'ready') await this.expireOrWarn(attempt);
      await this.reap(unheldClusters(existing, live, this.clusters));
    } catch (error) {
      this.logger.error(`expiry tick failed: ${String(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  /**
   * When the attempt ends if nothing changes: its TTL (set when it became ready, from the lab's
   * ttlMinutes or the default) or its idle deadline (the lab's idleMinutes or the default), whichever is first.
   */
  async deadlineOf(attempt: AttemptRecord): Promise<{ at: Date; why: 'ttl' | 'idle' }> {
    const { idleMinutes } = limitsOf(await this.labs.of(attempt), this.config);
    const idle = new Date(attempt.lastActivityAt.getTime() + idleMinutes * 60_000);
    if (attempt.expiresAt && attempt.expiresAt <= idle) return { at: attempt.expiresAt, why: 'ttl' };
    return { at: idle, why: 'idle' };
  }

  private async expireOrWarn(attempt: AttemptRecord): Promise<void> {
    const now = this.clock.now().getTime();
    const { at, why } = await this.deadlineOf(attempt);
    if (at.getTime() <= now) {
      this.warned.delete(attempt.id);
      const message =
        why === 'ttl'
          ? 'Time is up: this attempt reached its time limit and its cluster was removed. Start the lab again to retry.'
          : 'This attempt ended after a long time without activity and its cluster was removed. Start the lab again to retry.';
      await this.lifecycle
        .apply(attempt, 'expire', why === 'ttl' ? 'the time limit passed' : 'idle timeout', {
          patch: { message },
        })
        .then(
          () => this.metrics.reaper(why === 'ttl' ? 'expired-ttl' : 'expired-idle'),
          () => undefined,
        );
      return;
    }
    if (at.getTime() - now <= this.timing.warnBeforeMs && this.warned.get(attempt.id) !== at.getTime()) {
      this.warned.set(attempt.id, at.getTime());
      const minutesLeft = Math.max(1, Math.round((at.getTime() - now) / 60_000));
      await this.store.log(attempt.id, {
        type: 'warning',
        cause: `${why} in ${minutesLeft} min`,
        data: { at },
      });
      this.notifier.warning(attempt.id, at, minutesLeft);
      this.metrics.reaper('warned');
    }
  }

  private async reap(unheld: string[]): Promise<void> {
    for (const name of unheld) {
      this.logger.log(`reaping cluster ${name}: no live attempt holds it`);
      await this.clusters.delete(name).then(
        () => this.metrics.reaper('reaped'),
        (error: unknown) => this.logger.warn(`reap ${name}: ${String(error)}`),
      );
    }
  }

  onApplicationShutdown(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
