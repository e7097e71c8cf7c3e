import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { Counter, Gauge, Histogram, register, type Metric } from 'prom-client';
import { ATTEMPT_STATES, type AttemptState } from './attempt-state';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';

/** The attempts' numbers a scrape reads now (the running app's store). */
interface Source {
  countByState(): Promise<Partial<Record<AttemptState, number>>>;
  queuedIds(): Promise<string[]>;
}

// prom-client's registry is process-wide and a test process starts several apps: the metrics are
// made once and read from the app started last.
let source: Source | undefined;

function once<T extends Metric>(name: string, make: () => T): T {
  return (register.getSingleMetric(name) as T | undefined) ?? make();
}

const byState = once(
  'netlab_attempts',
  () =>
    new Gauge({
      name: 'netlab_attempts',
      help: 'Attempts by state (read from the database at scrape time)',
      labelNames: ['state'],
      async collect() {
        const counts = (await source?.countByState()) ?? {};
        for (const state of ATTEMPT_STATES) this.set({ state }, counts[state] ?? 0);
      },
    }),
);

const queueDepth = once(
  'netlab_attempt_queue_depth',
  () =>
    new Gauge({
      name: 'netlab_attempt_queue_depth',
      help: 'Attempts queued for provisioning, waiting for capacity or a provisioning slot',
      async collect() {
        this.set((await source?.queuedIds())?.length ?? 0);
      },
    }),
);

const stepSeconds = once(
  'netlab_attempt_provisioning_step_seconds',
  () =>
    new Histogram({
      name: 'netlab_attempt_provisioning_step_seconds',
      help: 'Duration of each provisioning step (queued = waiting for a slot; cluster, setup, fault, toolbox)',
      labelNames: ['step'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 180],
    }),
);

const checkRunSeconds = once(
  'netlab_attempt_check_run_seconds',
  () =>
    new Histogram({
      name: 'netlab_attempt_check_run_seconds',
      help: 'Duration of one grade of an attempt (all its checks), by what triggered it',
      labelNames: ['trigger'],
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    }),
);

const liveLatency = once(
  'netlab_attempt_live_check_latency_seconds',
  () =>
    new Histogram({
      name: 'netlab_attempt_live_check_latency_seconds',
      help: 'From a change in an attempt’s cluster to the live grade that saw it being recorded',
      buckets: [0.25, 0.5, 1, 1.5, 2, 3, 5, 10, 30],
    }),
);

const reaperActions = once(
  'netlab_attempt_reaper_actions_total',
  () =>
    new Counter({
      name: 'netlab_attempt_reaper_actions_total',
      help: 'What expiry and the reaper did: expired-ttl, expired-idle, warned, reaped (a cluster no live attempt holds)',
      labelNames: ['action'],
    }),
);

const reconcilerActions = once(
  'netlab_attempt_reconciler_actions_total',
  () =>
    new Counter({
      name: 'netlab_attempt_reconciler_actions_total',
      help: 'What the start-up reconciler did: adopted, restarted, recovered, requeued, reaped',
      labelNames: ['action'],
    }),
);

/** A reaper action counted by {@link AttemptMetrics}. */
export type ReaperAction = 'expired-ttl' | 'expired-idle' | 'warned' | 'reaped';
/** A reconciler action counted by {@link AttemptMetrics}. */
export type ReconcilerAction = 'adopted' | 'restarted' | 'recovered' | 'requeued' | 'reaped';

/**
 * The attempts' Prometheus metrics in prom-client's default registry (served at /metrics):
 * `netlab_attempts{state}`, `netlab_attempt_queue_depth`, `netlab_attempt_provisioning_step_seconds{step}`,
 * `netlab_attempt_check_run_seconds{trigger}`, `netlab_attempt_live_check_latency_seconds`,
 * `netlab_attempt_reaper_actions_total{action}`, `netlab_attempt_reconciler_actions_total{action}`.
 */
@Injectable()
export class AttemptMetrics implements OnApplicationShutdown {
  constructor(@Inject(ATTEMPT_STORE) private readonly store: AttemptStore) {
    source = store;
    void byState;
    void queueDepth;
  }

  step(step: string, seconds: number): void {
    stepSeconds.observe({ step }, seconds);
  }

  checkRun(trigger: string, seconds: number): void {
    checkRunSeconds.observe({ trigger }, seconds);
  }

  liveCheckLatency(seconds: number): void {
    liveLatency.observe(seconds);
  }

  reaper(action: ReaperAction): void {
    reaperActions.inc({ action });
  }

  reconciler(action: ReconcilerAction, count = 1): void {
    if (count > 0) reconcilerActions.inc({ action }, count);
  }

  onApplicationShutdown(): void {
    if (source === this.store) source = undefined;
  }
}
