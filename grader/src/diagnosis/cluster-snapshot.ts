import type { ClusterState, NetworkOptions } from '../netmodel';
import type { KubeClient } from '../kube/kube-client';

/** The cluster as the networking model sees it, plus the facts about it that are not objects. */
export interface ClusterSnapshot {
  state: ClusterState;
  options: NetworkOptions;
}

/** Reads every object the networking model reasons over, in parallel. */
export async function readClusterSnapshot(client: KubeClient): Promise<ClusterSnapshot> {
  const [namespaces, pods, services, endpointSlices, networkPolicies, nodes] = await Promise.all([
    client.listNamespaces(),
    client.listPods(),
    client.listServices(),
    client.listEndpointSlices(),
    client.listNetworkPolicies().catch(() => []),
    client.listNodes(),
  ]);
  const state: ClusterState = { namespaces, pods, services, endpointSlices, networkPolicies, nodes };
  const dnsPods = pods.filter(
    (p) => p.metadata?.namespace === 'kube-system' && p.metadata.labels?.['k8s-app'] === 'kube-dns',
  );
  const dnsReady = dnsPods.some((p) =>
    p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
  );
  return { state, options: { dnsAvailable: dnsPods.length === 0 ? true : dnsReady } };
}

/**
 * One snapshot shared by the checks of one round, so N failing checks cost one read of the cluster;
 * {@link refresh} starts a new one (a retry must see the cluster as it is now).
 */
export class SnapshotCache {
  private current?: Promise<ClusterSnapshot>;
  private takenAt = 0;

  constructor(
    private readonly client: KubeClient,
    private readonly maxAgeMs = 200,
  ) {}

  /** A snapshot no older than `maxAgeMs`. */
  get(): Promise<ClusterSnapshot> {
    if (!this.current || Date.now() - this.takenAt > this.maxAgeMs) {
      this.takenAt = Date.now();
      this.current = readClusterSnapshot(this.client);
      this.current.catch(() => {
        this.current = undefined;
      });
    }
    return this.current;
  }
}
