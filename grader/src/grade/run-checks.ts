import type { KubeConfig } from '@kubernetes/client-node';
import type { LoadedLab } from '@netlab/labs';
import { LocalScriptRunner, type ScriptRunner } from '../checks/script-runner';
import { SnapshotCache } from '../diagnosis/cluster-snapshot';
import { ClientNodeKubeClient, type KubeClient } from '../kube/kube-client';
import { DEFAULT_PROBE_IMAGE, ProbePool } from '../probes/probe-pool';
import type { GradeReport } from './grade-report';
import { runCheck } from './run-check';

/** How a grade runs. Every field has a default that suits a real cluster. */
export interface GradeOptions {
  /** Only these checks (by id); default all. */
  checkIds?: string[];
  /** Image of the probe pods (default nicolaka/netshoot), e.g. rewritten by an image map. */
  probeImage?: string;
  /** Probe from a lab pod that already has the source's identity and a debugging image (default true). */
  reuseSourcePods?: boolean;
  /** How long a probe pod may take to start (default 60 s: a first image pull). */
  probeStartTimeoutMs?: number;
  /** How long a probe waits for a TCP handshake or a DNS answer before calling it dropped (default 1 s). */
  connectTimeoutMs?: number;
  /** Pause between retries of a failing check (default 1 s). */
  retryDelayMs?: number;
  /** The cluster client; default one built from the KubeConfig (tests pass a fake). */
  client?: KubeClient;
  /** Where `script` checks run; default a local shell with KUBECONFIG set to the cluster. */
  scripts?: ScriptRunner;
}

/**
 * Runs a lab's checks against a cluster and reports each: pass/fail/error, evidence, duration and,
 * on failure, a diagnosis. Checks run concurrently and share probe pods, which are deleted before
 * this returns. A broken cluster gives failed checks; only an unreachable API or bad credentials
 * throw a GraderError.
 */
export async function runChecks(
  cluster: KubeConfig,
  lab: LoadedLab,
  options: GradeOptions = {},
): Promise<GradeReport> {
  const startedAt = new Date();
  const started = performance.now();
  const client = options.client ?? new ClientNodeKubeClient(cluster);
  await client.version(); // fails fast, as a GraderError, when the API is unreachable
  const probes = new ProbePool(client, {
    image: options.probeImage ?? DEFAULT_PROBE_IMAGE,
    startTimeoutMs: options.probeStartTimeoutMs ?? 60_000,
    reuseSourcePods: options.reuseSourcePods ?? true,
  });
  const scripts = options.scripts ?? new LocalScriptRunner(cluster);
  const connectTimeoutMs = options.connectTimeoutMs ?? 1000;
  const ctx = { client, probes, snapshots: new SnapshotCache(client), scripts, connectTimeoutMs };
  const wanted = options.checkIds ? new Set(options.checkIds) : undefined;
  const checks = lab.definition.checks.filter((c) => !wanted || wanted.has(c.id));
  try {
    const results = await Promise.all(
      checks.map((check) => runCheck(check, ctx, { retryDelayMs: options.retryDelayMs ?? 1000 })),
    );
    return {
      labId: lab.definition.id,
      seed: lab.seed,
      passed: results.every((r) => r.status === 'pass'),
      checks: results,
      startedAt,
      durationMs: Math.round(performance.now() - started),
    };
  } finally {
    await probes.dispose();
    if (!options.scripts) scripts.dispose();
  }
}
