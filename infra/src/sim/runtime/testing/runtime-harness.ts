import type { V1Pod } from '@kubernetes/client-node';
import { ObjectStore, type NewObject } from '../../store/object-store';
import { ManualClock } from '../clock';
import { as } from '../context';
import { createClusterRuntime } from '../index';
import type { ClusterRuntimeOptions } from '../container-runtime';
import type { SimClusterRuntime } from '../cluster-runtime';
import { defaultPod } from '../../registry/defaults';

/** A started runtime over a fresh store with a manual clock, for specs. */
export async function aRuntime(options: Partial<ClusterRuntimeOptions> = {}): Promise<{
  sut: SimClusterRuntime;
  store: ObjectStore;
  clock: ManualClock;
}> {
  const store = new ObjectStore();
  const clock = new ManualClock();
  const sut = createClusterRuntime(store, {
    name: 'lab',
    nodes: 3,
    cni: true,
    networkPolicy: true,
    kubeconfig: 'apiVersion: v1\nkind: Config\n',
    clock,
    ...options,
  });
  sut.start();
  await sut.advance(1000);
  return { sut, store, clock };
}

/** A Deployment manifest. */
export function aDeployment(
  name: string,
  container: Record<string, unknown>,
  replicas = 1,
  extra: Record<string, unknown> = {},
): NewObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'app', ...container }] },
      },
      ...extra,
    },
  };
}

/** A Pod as the API would store it (defaults applied). */
export function aPod(
  name: string,
  spec: Record<string, unknown>,
  labels: Record<string, string> = {},
): NewObject {
  const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default', labels }, spec };
  defaultPod(pod as never);
  return pod as NewObject;
}

/** A ClusterIP Service. */
export function aService(
  name: string,
  selector: Record<string, string>,
  port: number,
  targetPort: number | string,
  clusterIP: string,
): NewObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      clusterIP,
      clusterIPs: [clusterIP],
      selector,
      ports: [{ name: 'http', port, targetPort, protocol: 'TCP' }],
    },
  };
}

/** Pods of the namespace whose name starts with `prefix`. */
export function podsOf(store: ObjectStore, prefix: string, namespace = 'default'): V1Pod[] {
  return store
    .list('pods', namespace)
    .filter((p) => p.metadata.name.startsWith(prefix))
    .map((p) => as<V1Pod>(p));
}

/** `kubectl get pods`' STATUS column for one pod. */
export function podStatusWord(pod: V1Pod): string {
  if (pod.metadata?.deletionTimestamp) return 'Terminating';
  for (const c of pod.status?.containerStatuses ?? []) {
    if (c.state?.waiting?.reason) return c.state.waiting.reason;
    if (c.state?.terminated?.reason) return c.state.terminated.reason;
  }
  return pod.status?.phase ?? 'Pending';
}

/** Reasons of the events about an object, in order. */
export function eventReasons(store: ObjectStore, name: string, namespace = 'default'): string[] {
  return store
    .list('events', namespace)
    .filter((e) => (e.involvedObject as { name: string }).name === name)
    .sort((a, b) =>
      a.metadata.resourceVersion.localeCompare(b.metadata.resourceVersion, undefined, { numeric: true }),
    )
    .map((e) => String(e.reason));
}
