import type { Check } from '@netlab/labs';
import type { SnapshotCache } from '../diagnosis/cluster-snapshot';
import type { CheckOutcome } from '../grade/grade-report';
import type { KubeClient } from '../kube/kube-client';
import type { ProbePool } from '../probes/probe-pool';
import type { ScriptRunner } from './script-runner';

/** What every check runner gets: the cluster, the shared probes and snapshot, and its time budget. */
export interface CheckContext {
  client: KubeClient;
  probes: ProbePool;
  snapshots: SnapshotCache;
  scripts: ScriptRunner;
  /** Time budget of this attempt, in ms. */
  timeoutMs: number;
  /** How long a client waits for a connection (or a DNS answer) before calling it dropped. */
  connectTimeoutMs: number;
}

/** Runs one attempt of one check type. Observes a broken cluster as a failed outcome; never throws for it. */
export type CheckRunner<C extends Check = Check> = (check: C, ctx: CheckContext) => Promise<CheckOutcome>;

/** The check of one type. */
export type CheckOf<T extends Check['type']> = Extract<Check, { type: T }>;
