import type { V1Container, V1ContainerPort, V1Pod, V1ServicePort } from '@kubernetes/client-node';
import { isIPv4 } from 'node:net';
import type { Protocol } from './types';

/** `ns/name` of an object, the way kubectl and the explanations name it. */
export function qualifiedName(meta: { namespace?: string; name?: string } | undefined): string {
  return `${meta?.namespace ?? 'default'}/${meta?.name ?? ''}`;
}

/** The pod's IPv4 address (status.podIPs first, then status.podIP), if it has one. */
export function podIPv4(pod: V1Pod): string | undefined {
  for (const entry of pod.status?.podIPs ?? []) if (isIPv4(entry.ip)) return entry.ip;
  const ip = pod.status?.podIP;
  return ip && isIPv4(ip) ? ip : undefined;
}

/** Whether the pod has any IP at all (IPv4 or IPv6). */
export function podHasIP(pod: V1Pod): boolean {
  return Boolean(pod.status?.podIP) || (pod.status?.podIPs?.length ?? 0) > 0;
}

/** Failed or Succeeded: the pod's containers are gone for good. */
export function isPodTerminal(pod: V1Pod): boolean {
  return pod.status?.phase === 'Failed' || pod.status?.phase === 'Succeeded';
}

/** The pod's Ready condition is True (podutil.IsPodReady). */
export function isPodReady(pod: V1Pod): boolean {
  return (pod.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');
}

/** The pod is being deleted (metadata.deletionTimestamp set). */
export function isPodTerminating(pod: V1Pod): boolean {
  return Boolean(pod.metadata?.deletionTimestamp);
}

/** Containers that serve traffic: regular containers and sidecars (init containers with restartPolicy Always). */
export function servingContainers(pod: V1Pod): V1Container[] {
  const sidecars = (pod.spec?.initContainers ?? []).filter((c) => c.restartPolicy === 'Always');
  return [...(pod.spec?.containers ?? []), ...sidecars];
}

/** Every declared container port with the container it belongs to; protocol defaulted to TCP. */
export function declaredPorts(
  pod: V1Pod,
): Array<V1ContainerPort & { container: string; protocol: Protocol }> {
  return servingContainers(pod).flatMap((c) =>
    (c.ports ?? []).map((p) => ({ ...p, container: c.name, protocol: (p.protocol ?? 'TCP') as Protocol })),
  );
}

/** The number a named container port has in this pod for `protocol` (podutil.FindPort by name). */
export function findNamedPort(pod: V1Pod, name: string, protocol: Protocol): number | undefined {
  return declaredPorts(pod).find((p) => p.name === name && p.protocol === protocol)?.containerPort;
}

/** The pod port a Service port sends to, as podutil.FindPort does; undefined when a named port is missing. */
export function resolveTargetPort(pod: V1Pod, servicePort: V1ServicePort): number | undefined {
  const target = servicePort.targetPort ?? servicePort.port;
  const protocol = (servicePort.protocol ?? 'TCP') as Protocol;
  if (typeof target === 'number') return target;
  if (/^\d+$/.test(target)) return Number(target);
  return findNamedPort(pod, target, protocol);
}
