import {
  AppsV1Api,
  CoreV1Api,
  type KubeConfig,
  type V1Deployment,
  type V1Pod,
} from '@kubernetes/client-node';
import { readClusterSnapshot } from '../diagnosis/cluster-snapshot';
import { crashLoops, failsReadinessAtRest, stillConverging } from '../diagnosis/convergence';
import { matchesLabelSelector } from '../netmodel';
import { connectedApiClient } from '../kube/client-node-api';
import { ClusterConnection } from '../kube/cluster-connection';
import { ClientNodeKubeClient, type KubeClient } from '../kube/kube-client';
import { rethrowFatal } from '../kube/kube-errors';

/** Whether the cluster came to rest, and if not, what it was still waiting for. */
export interface SettleResult {
  settled: boolean;
  /** What was not done yet when time ran out (or why waiting was pointless). */
  pending: string[];
}

/**
 * Waits until what a lab just changed has rolled out: DaemonSets ready on every node, Deployments
 * fully updated and available with no old pods left; in the lab's namespaces no pod (bare or not)
 * starting, terminating or waiting for its first readiness probe, and every Service's
 * EndpointSlices holding exactly the ready pods it selects. What the API cannot show — kube-proxy
 * applying a Service change — is left to the grade (`gradeUntil`, `stableForMs`).
 * While a node is NotReady (no CNI), rollouts cannot finish: once only NotReady nodes are left it
 * waits `notReadyGraceMs` more (a CNI that just started takes a moment to turn its node Ready),
 * then gives up. Never throws for a cluster that does not settle.
 */
export async function waitForSettled(
  kc: KubeConfig,
  namespaces: string[],
  options: { timeoutMs: number; pollMs?: number; notReadyGraceMs?: number },
): Promise<SettleResult> {
  const connection = new ClusterConnection(kc); // it polls: one TLS connection, not one per request
  try {
    return await pollUntilSettled(
      connectedApiClient(kc, connection, CoreV1Api),
      connectedApiClient(kc, connection, AppsV1Api),
      new ClientNodeKubeClient(kc, { connection }),
      namespaces,
      options,
    );
  } finally {
    connection.dispose();
  }
}

async function pollUntilSettled(
  core: CoreV1Api,
  apps: AppsV1Api,
  client: KubeClient,
  namespaces: string[],
  options: { timeoutMs: number; pollMs?: number; notReadyGraceMs?: number },
): Promise<SettleResult> {
  const deadline = Date.now() + options.timeoutMs;
  let onlyNodesSince: number | undefined;
  for (;;) {
    let pending: string[];
    try {
      pending = await whatIsPending(core, apps, client, namespaces);
    } catch (error) {
      rethrowFatal(error);
      pending = [`cannot read the cluster: ${(error as Error).message}`];
    }
    if (pending.length === 0) return { settled: true, pending };
    const onlyNodes = pending.every((p) => p.startsWith('node '));
    onlyNodesSince = onlyNodes ? (onlyNodesSince ?? Date.now()) : undefined;
    const hopeless =
      onlyNodesSince !== undefined && Date.now() - onlyNodesSince >= (options.notReadyGraceMs ?? 5000);
    if (hopeless || Date.now() >= deadline) return { settled: false, pending };
    await new Promise((r) => setTimeout(r, options.pollMs ?? 50));
  }
}

async function whatIsPending(
  core: CoreV1Api,
  apps: AppsV1Api,
  client: KubeClient,
  namespaces: string[],
): Promise<string[]> {
  const pending: string[] = [];
  const [nodes, daemonSets] = await Promise.all([core.listNode(), apps.listDaemonSetForAllNamespaces()]);
  for (const ds of daemonSets.items) {
    const s = ds.status;
    const desired = s?.desiredNumberScheduled ?? 0;
    if (
      (s?.observedGeneration ?? 0) < (ds.metadata?.generation ?? 0) ||
      (s?.numberReady ?? 0) < desired ||
      (s?.updatedNumberScheduled ?? desired) < desired
    ) {
      pending.push(
        `DaemonSet ${ds.metadata?.namespace}/${ds.metadata?.name}: ${s?.numberReady ?? 0}/${desired} ready`,
      );
    }
  }
  const notReady = nodes.items.filter(
    (n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True',
  );
  if (notReady.length) {
    // Nothing else can roll out; report the nodes, and the DaemonSets that may fix them.
    return [...pending, ...notReady.map((n) => `node ${n.metadata?.name} NotReady`)];
  }
  const [deployments, snapshot] = await Promise.all([
    Promise.all(namespaces.map((namespace) => apps.listNamespacedDeployment({ namespace }))),
    readClusterSnapshot(client),
  ]);
  for (const d of deployments.flatMap((list) => list.items)) {
    const want = d.spec?.replicas ?? 1;
    const s = d.status;
    const done =
      (s?.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
      (s?.updatedReplicas ?? 0) === want &&
      (s?.availableReplicas ?? 0) === want &&
      (s?.replicas ?? 0) === want;
    if (!done && !stalledOnReadiness(d, snapshot.state.pods))
      pending.push(
        `Deployment ${d.metadata?.namespace}/${d.metadata?.name}: ${s?.availableReplicas ?? 0}/${want} available`,
      );
  }
  // Pods (bare ones too) starting, terminating or awaiting readiness; Services' endpoints catching up.
  const inScope = new Set(namespaces);
  pending.push(...stillConverging(snapshot).filter((what) => inScope.has(namespaceOf(what))));
  return pending;
}

/**
 * A rollout that cannot go on because the pods it waits for fail their readiness probe or crash
 * over and over (a lab's fault, typically): the controller has seen the spec, has made all its pods,
 * and every one of them is Ready, failing its probe at rest, or in CrashLoopBackOff. Waiting longer
 * would change nothing.
 */
function stalledOnReadiness(d: V1Deployment, pods: V1Pod[]): boolean {
  if ((d.status?.observedGeneration ?? 0) < (d.metadata?.generation ?? 0)) return false;
  const mine = pods.filter(
    (p) =>
      p.metadata?.namespace === d.metadata?.namespace &&
      !p.metadata?.deletionTimestamp &&
      matchesLabelSelector(p.metadata?.labels, d.spec?.selector ?? {}),
  );
  if (mine.length !== (d.status?.replicas ?? 0) || mine.length === 0) return false;
  const failing = mine.filter((p) => failsReadinessAtRest(p) || crashLoops(p));
  const ready = mine.filter((p) =>
    p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  return failing.length > 0 && failing.length + ready.length === mine.length;
}

/** The namespace in a line of {@link stillConverging}: `pod ns/name …` or `Service ns/name …`. */
function namespaceOf(what: string): string {
  return /^\S+ ([^/\s]+)\//.exec(what)?.[1] ?? '';
}
