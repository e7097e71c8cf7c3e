import { CoreV1Api, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { TOOLBOX_IMAGE } from '@netlab/infra';
import type { ClusterClients } from './cluster-clients';

/** Where the learner's terminal execs in an attempt's cluster. */
export interface ToolboxRef {
  namespace: string;
  pod: string;
  container: string;
}

/** The toolbox lives apart from the lab's namespaces, so the lab's checks and NetMap never see it. */
export const TOOLBOX: ToolboxRef = { namespace: 'netlab-toolbox', pod: 'toolbox', container: 'toolbox' };

/**
 * The learner's toolbox: a pod of TOOLBOX_IMAGE in its own namespace, running as a ServiceAccount
 * bound to cluster-admin so kubectl inside it works on kind (the cluster is the learner's own). On
 * the sim, exec into this image opens the sandboxed real shell with kubectl pointed at the cluster.
 */
export function toolboxObjects(ref: ToolboxRef = TOOLBOX): KubernetesObject[] {
  const labels = { 'app.kubernetes.io/name': 'netlab-toolbox', 'app.kubernetes.io/managed-by': 'netlab' };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ref.namespace, labels } },
    {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'toolbox', namespace: ref.namespace, labels },
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: `${ref.namespace}-cluster-admin`, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'cluster-admin' },
      subjects: [{ kind: 'ServiceAccount', name: 'toolbox', namespace: ref.namespace }],
    } as KubernetesObject,
    {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: ref.pod, namespace: ref.namespace, labels },
      spec: {
        serviceAccountName: 'toolbox',
        terminationGracePeriodSeconds: 0,
        containers: [
          {
            name: ref.container,
            image: TOOLBOX_IMAGE,
            imagePullPolicy: 'IfNotPresent',
            command: ['sleep', 'infinity'],
            stdin: true,
            tty: true,
          },
        ],
      },
    } as KubernetesObject,
  ];
}

/** Creates the toolbox (what already exists is kept: a resumed step is not an error) and waits until it runs. */
export async function ensureToolbox(
  clients: ClusterClients,
  options: { timeoutMs: number; signal?: AbortSignal },
  ref: ToolboxRef = TOOLBOX,
): Promise<ToolboxRef> {
  const core = clients.api(CoreV1Api);
  // A warm pool cluster comes with its toolbox running: one read, nothing to create.
  const running = await core
    .readNamespacedPod({ namespace: ref.namespace, name: ref.pod })
    .then((pod) => pod.status?.phase === 'Running')
    .catch(() => false);
  if (running) return ref;
  const objects = clients.api(KubernetesObjectApi);
  for (const object of toolboxObjects(ref)) {
    try {
      await objects.create(object);
    } catch (error) {
      if ((error as { code?: number }).code !== 409) throw error;
    }
  }
  const deadline = Date.now() + options.timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 1000)) {
    const pod = await core.readNamespacedPod({ namespace: ref.namespace, name: ref.pod });
    if (pod.status?.phase === 'Running') return ref;
    if (options.signal?.aborted) throw new Error('cancelled while waiting for the toolbox pod');
    if (Date.now() > deadline)
      throw new Error(
        `the toolbox pod ${ref.namespace}/${ref.pod} is ${pod.status?.phase ?? 'unknown'} after ${options.timeoutMs} ms`,
      );
    await new Promise((r) => setTimeout(r, delay));
  }
}
