import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { CLOCK, systemClock } from '../common/clock';
import { LAB_CLUSTERS, type LabClusterGateway } from '../clusters/lab-clusters';
import { DatabaseService } from '../database/database.service';
import { TERMINAL_TARGET_RESOLVER } from '../terminal/terminal-target';
import { AttemptAccess } from './attempt-access';
import { AttemptEventsBus } from './attempt-events.bus';
import { AttemptExpiry, DEFAULT_EXPIRY_TIMING, EXPIRY_TIMING, type ExpiryTiming } from './attempt-expiry';
import { AttemptGrading } from './attempt-grading';
import { AttemptLabs } from './attempt-labs';
import { AttemptLifecycle } from './attempt-lifecycle';
import { AttemptMetrics } from './attempt-metrics';
import { AttemptProgress } from './attempt-progress';
import { AttemptStreamController } from './attempt-stream.controller';
import { AttemptTerminalResolver } from './attempt-terminal.resolver';
import { AttemptReconciler } from './attempt.reconciler';
import { AttemptRepository } from './attempt.repository';
import { AttemptService } from './attempt.service';
import { ATTEMPT_STORE, JOB_STORE } from './attempt.store';
import { AttemptNotifier, QueuePositions } from './attempt.notifier';
import { AttemptsController } from './attempts.controller';
import { ClusterRecovery } from './cluster-recovery';
import { JobRepository } from './job.repository';
import { LiveChecks } from './live-checks';
import {
  DEFAULT_QUEUE_TIMING,
  PGLITE_QUEUE_POLL_MS,
  PROVISION_QUEUE_TIMING,
  ProvisionQueue,
  type ProvisionQueueTiming,
} from './provisioning/provision.queue';
import { Provisioner } from './provisioning/provisioner';
import { DEFAULT_READY_POOL_TIMING, READY_POOL_TIMING, ReadyPool } from './provisioning/ready-pool';

/** Start-up order: reconcile first (nothing lost, nothing doubled), then take jobs and watch the clock. */
@Injectable()
class AttemptsRuntime implements OnApplicationBootstrap {
  private readonly logger = new Logger('Attempts');

  constructor(
    @Inject(AttemptReconciler) private readonly reconciler: AttemptReconciler,
    @Inject(ProvisionQueue) private readonly queue: ProvisionQueue,
    @Inject(AttemptExpiry) private readonly expiry: AttemptExpiry,
    @Inject(ATTEMPT_STORE) private readonly store: AttemptRepository,
    @Inject(ClusterRecovery) private readonly recovery: ClusterRecovery,
    @Inject(LAB_CLUSTERS) private readonly clusters: LabClusterGateway,
    @Inject(DatabaseService) private readonly db: DatabaseService,
    @Inject(ReadyPool) private readonly readyPool: ReadyPool,
    @Inject(HttpAdapterHost) private readonly adapter: HttpAdapterHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.clusters.onClusterLost((event) => {
      void this.store.findByClusterName(event.name).then(
        (attempt) => attempt && this.recovery.recover(attempt, event.reason),
        (error: unknown) => this.logger.error(`cluster ${event.name} lost: ${String(error)}`),
      );
    });
    await this.reconciler.reconcile(this.db.kind === 'pglite');
    this.queue.start();
    this.expiry.start();
    // Like the warm pool, the ready pool fills once the server listens (start-up speed).
    const server = this.adapter.httpAdapter?.getHttpServer() as Server | undefined;
    if (server && !server.listening) server.once('listening', () => this.readyPool.start());
    else this.readyPool.start();
  }
}

/** NETLAB_PROVISION_STEP_PAUSE_MS: for the crash-safety spec only, which kills a real server inside each step. */
function stepPauseFromEnv(): Partial<ProvisionQueueTiming> {
  const ms = Number(process.env.NETLAB_PROVISION_STEP_PAUSE_MS ?? 0);
  return Number.isInteger(ms) && ms > 0 ? { stepPauseMs: Math.min(ms, 60_000) } : {};
}

/** Timing overrides (tests, benchmarks). */
export interface AttemptsModuleOptions {
  queue?: Partial<ProvisionQueueTiming>;
  expiry?: Partial<ExpiryTiming>;
}

/**
 * Attempts end to end: the state machine, provisioning queue, grading and live checks, hints,
 * expiry and reaping, the reconciler, the API and its event stream. Global so the catalog
 * (LEARNER_PROGRESS) and the terminal (TERMINAL_TARGET_RESOLVER) can use what it exports.
 */
@Module({})
export class AttemptsModule {
  static forRoot(options: AttemptsModuleOptions = {}): DynamicModule {
    return {
      module: AttemptsModule,
      global: true,
      controllers: [AttemptsController, AttemptStreamController],
      providers: [
        { provide: CLOCK, useValue: systemClock },
        {
          provide: PROVISION_QUEUE_TIMING,
          inject: [DatabaseService],
          useFactory: (db: DatabaseService): ProvisionQueueTiming => ({
            ...DEFAULT_QUEUE_TIMING,
            ...(db.kind === 'pglite' ? { pollMs: PGLITE_QUEUE_POLL_MS } : {}),
            ...stepPauseFromEnv(),
            ...options.queue,
          }),
        },
        { provide: READY_POOL_TIMING, useValue: DEFAULT_READY_POOL_TIMING },
        { provide: EXPIRY_TIMING, useValue: { ...DEFAULT_EXPIRY_TIMING, ...options.expiry } },
        { provide: ATTEMPT_STORE, useClass: AttemptRepository },
        { provide: JOB_STORE, useClass: JobRepository },
        { provide: TERMINAL_TARGET_RESOLVER, useClass: AttemptTerminalResolver },
        AttemptEventsBus,
        AttemptMetrics,
        QueuePositions,
        AttemptLabs,
        AttemptNotifier,
        AttemptLifecycle,
        AttemptAccess,
        ClusterRecovery,
        AttemptGrading,
        LiveChecks,
        Provisioner,
        ReadyPool,
        ProvisionQueue,
        AttemptExpiry,
        AttemptReconciler,
        AttemptService,
        AttemptProgress,
        AttemptsRuntime,
      ],
      exports: [TERMINAL_TARGET_RESOLVER, AttemptProgress, ATTEMPT_STORE],
    };
  }
}
