import type { KubeConfig } from '@kubernetes/client-node';
import type { Check, LoadedLab } from '@netlab/labs';
import type { CheckContext } from '../checks/check-context';
import { LocalScriptRunner, type ScriptRunner } from '../checks/script-runner';
import { SnapshotCache } from '../diagnosis/cluster-snapshot';
import { ClientNodeKubeClient, type KubeClient } from '../kube/kube-client';
import { DEFAULT_PROBE_IMAGE, ProbePool } from '../probes/probe-pool';
import type { CheckResult, GradeReport } from './grade-report';
import type { GradeOptions } from './grade-options';
import { runCheck } from './run-check';
import { defaultStableTimeoutMs, observeUntilStable } from './stable-verdict';

/**
 * What several grades of one lab on one cluster share: the client, the probe pods (started once,
 * deleted by {@link dispose}) and the script runner. `runChecks` grades once; `gradeUntil` grades
 * again and again while a cluster converges, without restarting probe pods each time.
 */
export class GradeSession {
  private readonly client: KubeClient;
  private readonly probes: ProbePool;
  private readonly scripts: ScriptRunner;
  private readonly checks: Check[];
  private checkedApi = false;
  private ownClient?: ClientNodeKubeClient;

  constructor(
    cluster: KubeConfig,
    private readonly lab: LoadedLab,
    private readonly options: GradeOptions = {},
  ) {
    this.client = options.client ?? (this.ownClient = new ClientNodeKubeClient(cluster));
    this.probes = new ProbePool(this.client, {
      image: options.probeImage ?? DEFAULT_PROBE_IMAGE,
      startTimeoutMs: options.probeStartTimeoutMs ?? 60_000,
      reuseSourcePods: options.reuseSourcePods ?? true,
    });
    this.scripts = options.scripts ?? new LocalScriptRunner(cluster);
    const wanted = options.checkIds ? new Set(options.checkIds) : undefined;
    this.checks = lab.definition.checks.filter((c) => !wanted || wanted.has(c.id));
  }

  /** One grade of every check (each verdict held for `stableForMs` when that option is set). */
  async grade(): Promise<GradeReport> {
    const startedAt = new Date();
    const started = performance.now();
    if (!this.checkedApi) {
      await this.client.version(); // fails fast, as a GraderError, when the API is unreachable
      this.checkedApi = true;
    }
    this.probes.refresh(); // a lab pod probed from last time may be gone, a failed probe may start now
    const ctx = {
      client: this.client,
      probes: this.probes,
      snapshots: new SnapshotCache(this.client),
      scripts: this.scripts,
      connectTimeoutMs: this.options.connectTimeoutMs ?? 1000,
    };
    const results = await Promise.all(this.checks.map((check) => this.observe(check, ctx)));
    return {
      labId: this.lab.definition.id,
      seed: this.lab.seed,
      passed: results.every((r) => r.status === 'pass'),
      checks: results,
      startedAt,
      durationMs: Math.round(performance.now() - started),
    };
  }

  /** Deletes the probe pods this session started. */
  async dispose(): Promise<void> {
    await this.probes.dispose();
    if (!this.options.scripts) this.scripts.dispose();
    this.ownClient?.dispose();
  }

  private observe(check: Check, ctx: Omit<CheckContext, 'timeoutMs'>): Promise<CheckResult> {
    const retry = { retryDelayMs: this.options.retryDelayMs ?? 1000 };
    const stableForMs = this.options.stableForMs ?? 0;
    if (stableForMs <= 0) return runCheck(check, ctx, retry);
    return observeUntilStable(
      () => runCheck(check, { ...ctx, snapshots: new SnapshotCache(ctx.client) }, retry),
      {
        stableForMs,
        stableTimeoutMs: this.options.stableTimeoutMs ?? defaultStableTimeoutMs(stableForMs),
      },
    );
  }
}
