import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { computeEndpointSlices } from '../netmodel';
import { PROBE_LABEL } from '../probes/probe-pool';
import type { ClusterSnapshot } from './cluster-snapshot';

const STARTING = new Set(['ContainerCreating', 'PodInitializing']);

/**
 * What the cluster is still doing on its own, if anything: pods starting or terminating, or a
 * Service whose EndpointSlices have not caught up with its pods yet. A failed check is worth
 * retrying only while this is non-empty; a cluster at rest gives the same answer again.
 */
export function stillConverging(snapshot: ClusterSnapshot, now = Date.now()): string[] {
  const { pods, services, nodes } = snapshot.state;
  const readyNodes = new Set(
    nodes
      .filter((n) => n.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'))
      .map((n) => n.metadata?.name),
  );
  const moving: string[] = [];
  const learnerPods = pods.filter((p) => !p.metadata?.labels?.[PROBE_LABEL]);
  for (const pod of learnerPods) {
    const name = `pod ${pod.metadata?.namespace}/${pod.metadata?.name}`;
    if (pod.metadata?.deletionTimestamp) moving.push(`${name} terminating`);
    else if (isStarting(pod, readyNodes)) moving.push(`${name} starting`);
    else if (awaitsFirstReadiness(pod, now)) moving.push(`${name} waiting for its readiness probe`);
  }
  for (const service of services) {
    // Without a selector, endpoints are written by hand (or by the API server, for `kubernetes`).
    if (!Object.keys(service.spec?.selector ?? {}).length) continue;
    const namespace = service.metadata?.namespace;
    const expected = readyIps(computeEndpointSlices(service, learnerPods, nodes));
    const actual = readyIps(
      (snapshot.state.endpointSlices ?? []).filter(
        (s) =>
          s.metadata?.namespace === namespace &&
          s.metadata?.labels?.['kubernetes.io/service-name'] === service.metadata?.name,
      ),
    );
    if (expected !== actual) moving.push(`Service ${namespace}/${service.metadata?.name} endpoints updating`);
  }
  return moving;
}

function isStarting(pod: V1Pod, readyNodes: Set<string | undefined>): boolean {
  if (pod.status?.phase !== 'Pending' && pod.status?.phase !== 'Running') return false;
  // A pod that cannot get a node or a sandbox on a NotReady node is stuck, not starting.
  if (!pod.spec?.nodeName || !readyNodes.has(pod.spec.nodeName)) return false;
  const waiting = [
    ...(pod.status?.initContainerStatuses ?? []),
    ...(pod.status?.containerStatuses ?? []),
  ].map((c) => c.state?.waiting?.reason);
  return pod.status?.phase === 'Pending'
    ? !waiting.some((r) => r && !STARTING.has(r))
    : waiting.some((r) => r && STARTING.has(r));
}

/**
 * A running pod that is not Ready yet but whose readiness probe has not had its first chance: the
 * kubelet probes after `initialDelaySeconds`, then every `periodSeconds`. Past that (plus the
 * probe's own timeout) a pod that is still not Ready is failing its probe: that is its state, not
 * a step on the way.
 */
function awaitsFirstReadiness(pod: V1Pod, now: number): boolean {
  if (pod.status?.phase !== 'Running') return false;
  if (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return false;
  return (pod.spec?.containers ?? []).some((container) => {
    const probe = container.readinessProbe;
    const status = pod.status?.containerStatuses?.find((s) => s.name === container.name);
    const startedAt = status?.state?.running?.startedAt;
    if (!probe || status?.ready || !startedAt) return false;
    const firstChanceMs =
      ((probe.initialDelaySeconds ?? 0) + (probe.periodSeconds ?? 10) + (probe.timeoutSeconds ?? 1)) * 1000;
    return now - new Date(startedAt).getTime() < firstChanceMs;
  });
}

/**
 * A pod at rest that is not Ready only because its readiness probe keeps failing: Running, every
 * container running, and a not-ready container with a readiness probe that has had its first chance.
 * Nothing will change until someone changes the probe or the app.
 */
export function failsReadinessAtRest(pod: V1Pod, now = Date.now()): boolean {
  if (pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Running') return false;
  if (pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')) return false;
  const statuses = pod.status.containerStatuses ?? [];
  if (!statuses.length || statuses.some((s) => !s.state?.running)) return false;
  const probed = (pod.spec?.containers ?? []).filter(
    (c) => c.readinessProbe && !statuses.find((s) => s.name === c.name)?.ready,
  );
  return probed.length > 0 && !awaitsFirstReadiness(pod, now);
}

/**
 * A pod whose container keeps crashing (CrashLoopBackOff): the kubelet will go on restarting it
 * with a growing back-off, and it will crash again until someone changes the Pod.
 */
export function crashLoops(pod: V1Pod): boolean {
  if (pod.metadata?.deletionTimestamp) return false;
  return (pod.status?.containerStatuses ?? []).some((s) => s.state?.waiting?.reason === 'CrashLoopBackOff');
}

function readyIps(slices: V1EndpointSlice[]): string {
  return slices
    .flatMap((s) =>
      (s.endpoints ?? []).filter((e) => e.conditions?.ready !== false).flatMap((e) => e.addresses),
    )
    .sort()
    .join(',');
}
