import { join } from 'node:path';
import { CATALOG_DIR, loadLabOrThrow, type LoadedLab } from '@netlab/labs';
import type { CohortAccess, SessionUser } from '../../auth/auth.types';
import type { LabVersions } from '../../catalog/lab-versions';
import type { Clock } from '../../common/clock';
import type { AppConfig } from '../../config/app-config';
import { AttemptAccess } from '../attempt-access';
import { AttemptEventsBus } from '../attempt-events.bus';
import { AttemptExpiry } from '../attempt-expiry';
import { AttemptGrading } from '../attempt-grading';
import type { AttemptLabs } from '../attempt-labs';
import { AttemptLifecycle } from '../attempt-lifecycle';
import { AttemptReconciler } from '../attempt.reconciler';
import { AttemptService } from '../attempt.service';
import { AttemptNotifier, QueuePositions } from '../attempt.notifier';
import { ClusterRecovery } from '../cluster-recovery';
import { LiveChecks } from '../live-checks';
import { AttemptMetrics } from '../attempt-metrics';
import { Provisioner } from '../provisioning/provisioner';
import { ReadyPool } from '../provisioning/ready-pool';
import { FakeLabClusters } from './fake-lab-clusters';
import { InMemoryAttemptStore } from './in-memory-attempt.store';

/** The lab every unit spec uses: the real svc-selector-mismatch, rendered with a fixed seed. */
export const LAB: LoadedLab = loadLabOrThrow(join(CATALOG_DIR, 'svc-selector-mismatch'), { seed: 'unit' });

/** A settable clock. */
export class FakeClock implements Clock {
  constructor(public at = new Date('2026-12-01T12:00:00Z')) {}
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at = new Date(this.at.getTime() + ms);
  }
}

/** Users for the specs. */
export const ADA: SessionUser = {
  id: 'u-ada',
  email: 'ada@example.com',
  displayName: 'Ada',
  role: 'learner',
};
export const BOB: SessionUser = {
  id: 'u-bob',
  email: 'bob@example.com',
  displayName: 'Bob',
  role: 'learner',
};
export const IRIS: SessionUser = {
  id: 'u-iris',
  email: 'iris@example.com',
  displayName: 'Iris',
  role: 'instructor',
};

/** The attempts layer built directly over strict fakes (no Nest): store, clusters, lab versions, cohorts. */
export function newAttemptsHarness(
  config: Partial<AppConfig['attempts']> = {},
  options: { lab?: LoadedLab; readyPool?: AppConfig['readyPool'] } = {},
) {
  const lab = options.lab ?? LAB;
  const store = new InMemoryAttemptStore();
  const clusters = new FakeLabClusters();
  const clock = new FakeClock();
  const appConfig = {
    attempts: {
      capacity: 10,
      perUserQuota: 2,
      provisionConcurrency: 2,
      defaultTtlMinutes: 60,
      defaultIdleMinutes: 30,
      ...config,
    },
    readyPool: options.readyPool ?? [],
  } as AppConfig;
  const versions: LabVersions = {
    pin: async (slug) => {
      if (slug !== lab.definition.id) throw new Error(`unknown lab ${slug}`);
      return { labVersionId: 'lv-1', slug, contentHash: 'h', title: lab.definition.title };
    },
    load: async () => lab,
  };
  const labs = { of: async () => lab } as unknown as AttemptLabs;
  /** Stands in for the provisioning queue: counts the kicks it gets. */
  const queueKicks = { count: 0, kick: () => void queueKicks.count++ };
  const readyPool = new ReadyPool(appConfig, clusters, versions, labs, {
    concurrency: 2,
    retryDelayMs: 10,
    maxRetryDelayMs: 100,
  });
  const cohorts: CohortAccess = { canSupervise: async (viewer) => viewer.id === IRIS.id };
  const bus = new AttemptEventsBus();
  const positions = new QueuePositions();
  const notifier = new AttemptNotifier(store, labs, bus, positions);
  const lifecycle = new AttemptLifecycle(store, clusters, notifier, clock, appConfig, labs);
  const access = new AttemptAccess(store, cohorts);
  const recovery = new ClusterRecovery(store, clusters, lifecycle);
  const metrics = new AttemptMetrics(store);
  const grading = new AttemptGrading(store, clusters, labs, lifecycle, notifier, recovery, clock, metrics);
  const live = new LiveChecks(store, clusters, labs, grading, recovery, lifecycle, metrics);
  const provisioner = new Provisioner(store, clusters, labs, lifecycle, notifier, metrics, readyPool);
  const expiry = new AttemptExpiry(
    store,
    clusters,
    lifecycle,
    notifier,
    clock,
    appConfig,
    { tickMs: 1000, warnBeforeMs: 5 * 60_000 },
    metrics,
    labs,
  );
  const reconciler = new AttemptReconciler(store, store, clusters, lifecycle, live, recovery, metrics);
  const service = new AttemptService(
    store,
    versions,
    clusters,
    labs,
    access,
    lifecycle,
    grading,
    notifier,
    clock,
    appConfig,
    readyPool,
    queueKicks,
  );
  lifecycle.on('enqueue-provision', (_b, after) => store.enqueue('provision', after.id, after.generation));
  return {
    store,
    clusters,
    clock,
    bus,
    lifecycle,
    grading,
    live,
    provisioner,
    readyPool,
    queueKicks,
    expiry,
    reconciler,
    service,
    config: appConfig,
  };
}

/** A learner's attempt brought to ready through the real provisioner (over the fakes). */
export async function readyAttempt(h: ReturnType<typeof newAttemptsHarness>, user: SessionUser = ADA) {
  const { attempt } = await h.service.start(user, LAB.definition.id);
  await h.provisioner.run((await h.store.get(attempt.id))!, new AbortController().signal);
  return (await h.store.get(attempt.id))!;
}
