import {
  CoreV1Api,
  DiscoveryV1Api,
  ListWatch,
  NetworkingV1Api,
  type Informer,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { PROBE_LABEL } from '@netlab/grader';
import { BoundedWatch, WATCH_ANSWER_MS } from './bounded-watch';
import type { ClusterClients } from './cluster-clients';

/** Stops a watch; idempotent. */
export type StopWatch = () => void;

/** How a lab watch reports. */
export interface LabWatchListener {
  /** Something the learner can change moved (never the grader's own probe pods). */
  onChange(): void;
  /** A watch broke; it is restarted after a pause. The caller may check whether the cluster is gone. */
  onError(error: unknown): void;
}

/**
 * Informers on the objects a lab's checks look at (Pods, Services, EndpointSlices, NetworkPolicies)
 * in each lab namespace. A watch that is idle costs an open connection and no CPU.
 */
export function watchLabNamespaces(
  clients: ClusterClients,
  namespaces: string[],
  listener: LabWatchListener,
  restartDelayMs = 1000,
  answerMs = WATCH_ANSWER_MS,
): StopWatch {
  // A watch the server never answers fails after answerMs (and is restarted like any broken watch).
  const watch = new BoundedWatch(clients.kc, answerMs);
  // The lists (and re-lists) share the cluster's keep-alive connection; each watch has its own.
  const core = clients.api(CoreV1Api);
  const discovery = clients.api(DiscoveryV1Api);
  const networking = clients.api(NetworkingV1Api);
  const informers: Informer<KubernetesObject>[] = [];
  let stopped = false;
  for (const namespace of namespaces) {
    const sources: [string, () => Promise<{ items: KubernetesObject[] }>][] = [
      [`/api/v1/namespaces/${namespace}/pods`, () => core.listNamespacedPod({ namespace })],
      [`/api/v1/namespaces/${namespace}/services`, () => core.listNamespacedService({ namespace })],
      [
        `/apis/discovery.k8s.io/v1/namespaces/${namespace}/endpointslices`,
        () => discovery.listNamespacedEndpointSlice({ namespace }),
      ],
      [
        `/apis/networking.k8s.io/v1/namespaces/${namespace}/networkpolicies`,
        () => networking.listNamespacedNetworkPolicy({ namespace }),
      ],
    ];
    for (const [path, list] of sources) {
      const informer = new ListWatch(path, watch, list as never, false);
      let started = false;
      const changed = (object: KubernetesObject) => {
        if (!started || stopped || object.metadata?.labels?.[PROBE_LABEL]) return;
        listener.onChange();
      };
      informer.on('add', changed);
      informer.on('update', changed);
      informer.on('delete', changed);
      informer.on('error', (error: unknown) => {
        if (stopped) return;
        listener.onError(error);
        setTimeout(() => {
          if (!stopped) informer.start().catch(() => undefined);
        }, restartDelayMs).unref();
      });
      informer
        .start()
        .then(() => {
          started = true;
        })
        .catch((error: unknown) => {
          if (!stopped) listener.onError(error);
        });
      informers.push(informer as Informer<KubernetesObject>);
    }
  }
  return () => {
    if (stopped) return;
    stopped = true;
    watch.close();
    for (const informer of informers) void informer.stop().catch(() => undefined);
  };
}
