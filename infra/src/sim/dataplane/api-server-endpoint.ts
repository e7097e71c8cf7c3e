import type { AppHttpRequest, AppHttpResponse } from '../apps/app-model';
import { kubeApiServerApp } from '../apps/kube-apiserver.app';
import type { Kubelet } from '../runtime/kubelet';
import type { SimContext } from '../runtime/context';

/** The sim's API server as seen from inside the cluster: answers what reaches kube-apiserver's socket. */
export type InClusterApi = (request: AppHttpRequest) => Promise<AppHttpResponse>;

/**
 * Whether `port` of the pod is a running kube-apiserver container's socket, so the request goes to
 * the sim's own API rather than to an app model.
 */
export function isApiServerSocket(
  ctx: SimContext,
  kubelet: Kubelet,
  namespace: string,
  podName: string,
  port: number,
): boolean {
  const pod = ctx.store.get('pods', namespace, podName);
  const run = pod && kubelet.runOf(pod.metadata.uid);
  for (const c of run?.containers.values() ?? []) {
    if (c.state !== 'running' || c.app?.model !== kubeApiServerApp) continue;
    if (c.app.instance.listeners.some((l) => l.port === port && l.protocol === 'TCP')) return true;
  }
  return false;
}

/**
 * The kube-apiserver pod whose socket is at `ip:port` (a node address: it runs with hostNetwork,
 * which the network model treats as outside the Pod network), if one is running there.
 */
export function apiServerAt(
  ctx: SimContext,
  kubelet: Kubelet,
  ip: string,
  port: number,
): { namespace: string; pod: string; ip: string; port: number } | undefined {
  for (const run of kubelet.runs.values()) {
    const pod = ctx.store.get('pods', run.namespace, run.name);
    if ((pod?.status as { podIP?: string } | undefined)?.podIP !== ip) continue;
    if (isApiServerSocket(ctx, kubelet, run.namespace, run.name, port))
      return { namespace: run.namespace, pod: run.name, ip, port };
  }
  return undefined;
}
