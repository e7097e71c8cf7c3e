import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { Inject, Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../config/app-config';
import { AttemptEventsBus } from '../attempt-events.bus';
import { AttemptLifecycle } from '../attempt-lifecycle';
import { ATTEMPT_STORE, JOB_STORE, type AttemptStore, type JobRecord, type JobStore } from '../attempt.store';
import { AttemptNotifier, QueuePositions } from '../attempt.notifier';
import { Provisioner } from './provisioner';

/** How the queue paces itself. */
export interface ProvisionQueueTiming {
  pollMs: number;
  leaseMs: number;
  /** A pause after each provisioning step is recorded (crash-safety tests kill the server in it); 0 in production. */
  stepPauseMs: number;
}
/** Nest injection token of the {@link ProvisionQueueTiming} (defaults: poll 250 ms, lease 30 s). */
export const PROVISION_QUEUE_TIMING = Symbol('ProvisionQueueTiming');
export const DEFAULT_QUEUE_TIMING: ProvisionQueueTiming = { pollMs: 250, leaseMs: 30_000, stepPauseMs: 0 };

/**
 * The poll on the embedded PGlite: one process owns the database, so every change that matters (a
 * job enqueued or finished, an attempt ended) kicks the queue directly and the poll is only a
 * safety net; each poll's queries run in WebAssembly on the server's event loop (every 250 ms they
 * delayed HTTP requests). On PostgreSQL other replicas' changes are only seen by polling.
 */
export const PGLITE_QUEUE_POLL_MS = 5000;

/**
 * The provisioning job queue: durable jobs leased with `FOR UPDATE SKIP LOCKED` (so replicas can
 * share one PostgreSQL), at most `provisionConcurrency` running here, and no more clusters held
 * than the global `capacity`; queued learners are told their position whenever it changes.
 */
@Injectable()
export class ProvisionQueue implements OnApplicationShutdown {
  /** This replica's lease owner id. */
  readonly owner = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  private readonly logger = new Logger('ProvisionQueue');
  private readonly running = new Map<string, { abort: AbortController; jobId: string; started: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(JOB_STORE) private readonly jobs: JobStore,
    @Inject(Provisioner) private readonly provisioner: Provisioner,
    @Inject(AttemptLifecycle) lifecycle: AttemptLifecycle,
    @Inject(AttemptNotifier) private readonly notifier: AttemptNotifier,
    @Inject(AttemptEventsBus) private readonly bus: AttemptEventsBus,
    @Inject(QueuePositions) private readonly positions: QueuePositions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(PROVISION_QUEUE_TIMING) private readonly timing: ProvisionQueueTiming,
  ) {
    lifecycle.on('enqueue-provision', async (_before, after) => {
      await this.jobs.enqueue('provision', after.id, after.generation);
      this.kick();
    });
    lifecycle.on('cancel-provision', (before) => {
      this.running.get(before.id)?.abort.abort();
    });
    // An attempt that ended frees capacity: a queued one may start now, without waiting for a poll.
    lifecycle.on('delete-cluster', () => this.kick());
  }

  /** Starts taking jobs (after the reconciler ran). */
  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => this.kick(), this.timing.pollMs);
    this.timer.unref();
    this.kick();
  }

  /** Looks for work now (a job was enqueued, one finished, capacity was freed). */
  kick(): void {
    if (this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .catch((error: unknown) => this.logger.error(`queue tick failed: ${String(error)}`))
      .finally(() => {
        this.ticking = undefined;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  /** Attempts provisioning in this process now. */
  get active(): number {
    return this.running.size;
  }

  private async tick(): Promise<void> {
    const { capacity, provisionConcurrency } = this.config.attempts;
    const starting = [...this.running.values()].filter((r) => !r.started).length;
    const free = provisionConcurrency - this.running.size;
    if (free > 0) {
      const room = capacity - (await this.store.countHoldingClusters()) - starting;
      const limit = Math.min(free, room);
      if (limit > 0)
        for (const job of await this.jobs.claim(this.owner, limit, this.timing.leaseMs)) this.runJob(job);
    }
    await this.pushPositions();
  }

  private async pushPositions(): Promise<void> {
    const changed = this.positions.replace(await this.store.queuedIds());
    for (const id of changed) {
      if (!this.bus.hasListeners(id)) continue;
      const attempt = await this.store.get(id);
      if (attempt) this.notifier.changed(attempt);
    }
  }

  private runJob(job: JobRecord): void {
    const entry = { abort: new AbortController(), jobId: job.id, started: false };
    this.running.set(job.attemptId, entry);
    const renew = setInterval(
      () => void this.jobs.renew([job.id], this.owner, this.timing.leaseMs).catch(() => undefined),
      this.timing.leaseMs / 3,
    );
    renew.unref();
    const work = async () => {
      const attempt = await this.store.get(job.attemptId);
      if (!attempt || attempt.state !== 'queued' || attempt.generation !== job.generation) return;
      entry.started = true;
      await this.provisioner.run(attempt, entry.abort.signal, this.timing.stepPauseMs);
    };
    work()
      .then(
        () => this.jobs.complete(job.id),
        (error: unknown) => {
          this.logger.warn(`job ${job.id} for attempt ${job.attemptId}: ${String(error)}`);
          return this.jobs.complete(job.id, String(error));
        },
      )
      .catch((error: unknown) => this.logger.error(`could not complete job ${job.id}: ${String(error)}`))
      .finally(() => {
        clearInterval(renew);
        if (this.running.get(job.attemptId) === entry) this.running.delete(job.attemptId);
        this.kick();
      });
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const r of this.running.values()) r.abort.abort();
    await this.ticking;
  }
}
