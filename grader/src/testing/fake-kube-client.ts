import type {
  CoreV1Event,
  KubernetesObject,
  V1EndpointSlice,
  V1Namespace,
  V1NetworkPolicy,
  V1Node,
  V1Container,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import type { ExecResult, KubeClient, ObjectKey } from '../kube/kube-client';

/** Answers an exec in a probe pod: given the command, what the tool printed. */
export type ExecResponder = (command: string[], pod: V1Pod) => ExecResult;

/**
 * A strict in-memory {@link KubeClient}: objects are what the test put in; probe pods start
 * Running with an IP at once (unless `podsStart` is false); exec answers through `onExec`.
 */
export class FakeKubeClient implements KubeClient {
  nodes: V1Node[] = [readyNode('node-1')];
  namespaces: V1Namespace[] = [];
  pods: V1Pod[] = [];
  services: V1Service[] = [];
  slices: V1EndpointSlice[] = [];
  policies: V1NetworkPolicy[] = [];
  events: CoreV1Event[] = [];
  objects: KubernetesObject[] = [];
  podsStart = true;
  execs: { pod: string; command: string[] }[] = [];
  created: V1Pod[] = [];
  deleted: string[] = [];
  onExec: ExecResponder = () => ({ exitCode: 127, stdout: '', stderr: 'no responder' });
  failWith?: Error;
  gitVersion = 'v1.31.0';
  /** Kinds served per group/version; a group/version missing here is not served. */
  served: Record<string, string[]> = {
    v1: ['Namespace', 'Pod', 'Service', 'Node', 'Event', 'Endpoints', 'ConfigMap'],
    'apps/v1': ['Deployment', 'DaemonSet', 'ReplicaSet'],
    'discovery.k8s.io/v1': ['EndpointSlice'],
    'networking.k8s.io/v1': ['NetworkPolicy'],
  };
  /** Images that cannot be pulled: a pod naming one waits in ErrImagePull with this message. */
  pullFailures: Record<string, string> = {};
  /** Objects made with createObject (namespaces, NetworkPolicies, ...). */
  createdObjects: KubernetesObject[] = [];
  deletedNamespaces: string[] = [];
  /** Refuse createObject with this error (e.g. RBAC). */
  createObjectFails?: Error;

  async version(): Promise<string> {
    if (this.failWith) throw this.failWith;
    return this.gitVersion;
  }
  async servedKinds(groupVersion: string) {
    return this.served[groupVersion];
  }
  async createObject(object: KubernetesObject) {
    if (this.createObjectFails) throw this.createObjectFails;
    this.createdObjects.push(object);
    if (object.kind === 'NetworkPolicy') this.policies.push(object as V1NetworkPolicy);
    else if (object.kind === 'Namespace') this.namespaces.push(object as V1Namespace);
    else this.objects.push(object);
    return object;
  }
  async deleteNamespace(name: string) {
    this.deletedNamespaces.push(name);
    this.namespaces = this.namespaces.filter((n) => n.metadata?.name !== name);
    this.pods = this.pods.filter((p) => p.metadata?.namespace !== name);
    this.policies = this.policies.filter((p) => p.metadata?.namespace !== name);
  }
  async listNodes() {
    return this.nodes;
  }
  async listNamespaces() {
    return this.namespaces;
  }
  async listPods(namespace?: string, labelSelector?: string) {
    const wanted = (labelSelector ?? '')
      .split(',')
      .filter(Boolean)
      .map((kv) => kv.split('='));
    return this.pods.filter(
      (p) =>
        (!namespace || p.metadata?.namespace === namespace) &&
        wanted.every(([k, v]) => p.metadata?.labels?.[k!] === v),
    );
  }
  async listServices(namespace?: string) {
    return this.services.filter((s) => !namespace || s.metadata?.namespace === namespace);
  }
  async listEndpointSlices(namespace?: string) {
    return this.slices.filter((s) => !namespace || s.metadata?.namespace === namespace);
  }
  async listNetworkPolicies() {
    return this.policies;
  }
  async listEvents(namespace: string) {
    return this.events.filter((e) => e.metadata?.namespace === namespace);
  }
  async readObject(key: ObjectKey) {
    const all: KubernetesObject[] = [
      ...this.objects,
      ...this.services.map((s) => ({ ...s, apiVersion: 'v1', kind: 'Service' })),
    ];
    return all.find(
      (o) =>
        o.kind === key.kind &&
        o.metadata?.name === key.name &&
        (o.metadata?.namespace ?? undefined) === key.namespace,
    );
  }
  async readPod(namespace: string, name: string) {
    return this.pods.find((p) => p.metadata?.namespace === namespace && p.metadata.name === name);
  }
  async createPod(pod: V1Pod) {
    const image = pod.spec!.containers[0]!.image!;
    const pullFailure = this.pullFailures[image];
    const started: V1Pod = pullFailure
      ? {
          ...pod,
          spec: { ...pod.spec!, nodeName: 'node-1' },
          status: {
            phase: 'Pending',
            containerStatuses: [
              {
                name: pod.spec!.containers[0]!.name,
                image,
                imageID: '',
                ready: false,
                restartCount: 0,
                state: { waiting: { reason: 'ErrImagePull', message: pullFailure } },
              },
            ],
          },
        }
      : this.podsStart
        ? {
            ...pod,
            spec: { ...pod.spec!, nodeName: 'node-1' },
            status: {
              phase: 'Running',
              podIP: `10.244.0.${100 + this.created.length}`,
              containerStatuses: [
                {
                  name: pod.spec!.containers[0]!.name,
                  image,
                  imageID: `${image}@sha256:0`,
                  ready: false,
                  restartCount: 0,
                  state: { running: {} },
                },
              ],
            },
          }
        : {
            ...pod,
            status: {
              phase: 'Pending',
              containerStatuses: [
                {
                  name: pod.spec!.containers[0]!.name,
                  image: '',
                  imageID: '',
                  ready: false,
                  restartCount: 0,
                  state: { waiting: { reason: 'ContainerCreating' } },
                },
              ],
            },
          };
    this.created.push(started);
    this.pods.push(started);
    return started;
  }
  async deletePod(namespace: string, name: string) {
    this.deleted.push(`${namespace}/${name}`);
    this.pods = this.pods.filter((p) => !(p.metadata?.namespace === namespace && p.metadata.name === name));
  }
  async exec(namespace: string, pod: string, _container: string, command: string[]) {
    this.execs.push({ pod: `${namespace}/${pod}`, command });
    return this.onExec(command, (await this.readPod(namespace, pod))!);
  }
}

/** A node whose Ready condition is True. */
export function readyNode(name: string): V1Node {
  return {
    metadata: { name },
    status: {
      conditions: [{ type: 'Ready', status: 'True' }],
      addresses: [{ type: 'InternalIP', address: '172.18.0.2' }],
    },
  };
}

/** A node that is NotReady because no CNI is installed, as the kubelet says it. */
export function noCniNode(name: string): V1Node {
  return {
    metadata: { name },
    status: {
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'KubeletNotReady',
          message:
            'container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized',
        },
      ],
    },
  };
}

/** A Running, Ready pod with labels and one container. */
export function runningPod(
  namespace: string,
  name: string,
  labels: Record<string, string>,
  ip: string,
  container: Partial<V1Container> = {},
): V1Pod {
  return {
    metadata: { namespace, name, labels },
    spec: {
      nodeName: 'node-1',
      containers: [{ name: 'web', image: 'hashicorp/http-echo:1.0', ...container }],
    },
    status: {
      phase: 'Running',
      podIP: ip,
      podIPs: [{ ip }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}
