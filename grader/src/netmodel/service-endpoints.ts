import type { V1ServicePort } from '@kubernetes/client-node';
import type { ClusterIndex, PodEntry, ServiceEntry } from './cluster-index';
import { describeLabels } from './label-selector';
import { isPodReady, isPodTerminating, resolveTargetPort } from './pod-facts';
import type { Protocol } from './types';

/** One address kube-proxy may send a Service port's traffic to. */
export interface ServiceBackend {
  ip: string;
  port: number;
  pod?: PodEntry;
  nodeName?: string;
  ready: boolean;
  serving: boolean;
  terminating: boolean;
}

/** The Service port a query names: by number (`port`) or by name, for one protocol. */
export function findServicePort(
  entry: ServiceEntry,
  port: number | string,
  protocol: Protocol,
): V1ServicePort | undefined {
  return (entry.service.spec?.ports ?? []).find(
    (p) =>
      (p.protocol ?? 'TCP') === protocol && (typeof port === 'number' ? p.port === port : p.name === port),
  );
}

/** A Service's ports in words: `80/TCP (http) → 8080`. */
export function describeServicePorts(entry: ServiceEntry): string {
  const ports = entry.service.spec?.ports ?? [];
  if (ports.length === 0) return 'no ports';
  return ports.map((p) => `${p.port}/${p.protocol ?? 'TCP'}${p.name ? ` (${p.name})` : ''}`).join(', ');
}

/** Every endpoint of the slices for one Service port, with conditions read as kube-proxy reads them. */
export function serviceBackends(
  index: ClusterIndex,
  entry: ServiceEntry,
  servicePort: V1ServicePort,
): ServiceBackend[] {
  const name = servicePort.name ?? '';
  const protocol = servicePort.protocol ?? 'TCP';
  const out: ServiceBackend[] = [];
  const seen = new Set<string>();
  for (const slice of entry.slices) {
    if (slice.addressType !== 'IPv4') continue;
    const sp = (slice.ports ?? []).find((p) => (p.name ?? '') === name && (p.protocol ?? 'TCP') === protocol);
    if (!sp || sp.port === undefined) continue;
    for (const ep of slice.endpoints ?? []) {
      const ip = ep.addresses?.[0];
      if (!ip || seen.has(ip)) continue;
      seen.add(ip);
      // As kube-proxy reads them: unknown ready/serving mean true, unknown terminating means false.
      const ready = ep.conditions?.ready !== false;
      const pod = podOf(index, entry, ep.targetRef, ip);
      out.push({
        ip,
        port: sp.port,
        ready,
        serving: ep.conditions?.serving !== false,
        terminating: ep.conditions?.terminating === true,
        ...(pod ? { pod } : {}),
        ...(ep.nodeName ? { nodeName: ep.nodeName } : pod?.nodeName ? { nodeName: pod.nodeName } : {}),
      });
    }
  }
  return out.sort((a, b) => a.ip.localeCompare(b.ip, 'en', { numeric: true }));
}

/** kube-proxy's choice: the ready endpoints; only when none is ready, the serving and terminating ones. */
export function usableBackends(all: ServiceBackend[]): { backends: ServiceBackend[]; fallback: boolean } {
  const ready = all.filter((b) => b.ready);
  if (ready.length > 0) return { backends: ready, fallback: false };
  return { backends: all.filter((b) => b.serving && b.terminating), fallback: true };
}

function podOf(
  index: ClusterIndex,
  entry: ServiceEntry,
  ref: { kind?: string; name?: string; namespace?: string } | undefined,
  ip: string,
): PodEntry | undefined {
  if (ref?.kind === 'Pod' && ref.name) {
    const pod = index.podsByKey.get(`${ref.namespace ?? entry.namespace}/${ref.name}`);
    if (pod) return pod;
  }
  return index.podsByIP.get(ip);
}

/** Why a Service port has no usable endpoint, in a learner's words, naming the objects. */
export function diagnoseNoEndpoints(
  index: ClusterIndex,
  entry: ServiceEntry,
  servicePort: V1ServicePort,
  all: ServiceBackend[],
): string {
  const svc = `Service ${entry.key}`;
  const selector = entry.service.spec?.selector ?? {};
  const pairs = Object.entries(selector);
  if (pairs.length === 0) {
    return `${svc} has no selector and no EndpointSlice lists endpoints for it, so kube-proxy rejects the connection (a Service without a selector needs EndpointSlices made by hand)`;
  }
  const wanted = describeLabels(selector);
  const pods = index.podsIn(entry.namespace);
  const selected = pods.filter((p) => pairs.every(([k, v]) => p.labels[k] === v));
  if (selected.length === 0) {
    if (pods.length === 0)
      return `${svc} selects ${wanted}, but namespace ${entry.namespace} has no Pods at all`;
    const keys = new Set(pairs.map(([k]) => k));
    const near = new Set<string>();
    for (const p of pods)
      for (const [k, v] of Object.entries(p.labels)) if (keys.has(k)) near.add(`${k}=${v}`);
    // The likeliest typo first: values sharing the longest prefix with what the selector wants.
    const closeness = (pair: string) => {
      const [k, v = ''] = pair.split('=');
      const want = selector[k!] ?? '';
      let n = 0;
      while (n < v.length && v[n] === want[n]) n++;
      return n;
    };
    const theirs = near.size
      ? [...near]
          .sort((a, b) => closeness(b) - closeness(a))
          .slice(0, 6)
          .join(', ')
      : [...new Set(pods.map((p) => describeLabels(p.labels)).filter((l) => l !== '<none>'))]
          .slice(0, 4)
          .join('; ') || 'no labels at all';
    return `${svc} selects ${wanted}, but no Pod in ${entry.namespace} has ${pairs.length > 1 ? 'all those labels' : 'that label'}; its Pods have ${theirs}`;
  }
  const names = (list: PodEntry[]) =>
    list
      .slice(0, 5)
      .map((p) => p.name)
      .join(', ') + (list.length > 5 ? `, … (${list.length} in all)` : '');
  const withIP = selected.filter((p) => p.running);
  if (withIP.length === 0) {
    const phases = [...new Set(selected.map((p) => p.pod.status?.phase ?? 'Pending'))].join('/');
    return `${svc} selects ${wanted} (Pods ${names(selected)}), but none of them is running with an IP (phase ${phases}), so there is no endpoint`;
  }
  const target = servicePort.targetPort ?? servicePort.port;
  const portOk = withIP.filter((p) => resolveTargetPort(p.pod, servicePort) !== undefined);
  if (portOk.length === 0) {
    const declared = withIP[0]!.pod.spec?.containers?.flatMap((c) => c.ports ?? []) ?? [];
    const theirs = declared
      .map((d) => `${d.name ?? '(unnamed)'}=${d.containerPort}/${d.protocol ?? 'TCP'}`)
      .join(', ');
    return `${svc} port ${servicePort.port} sends to targetPort "${target}", but no selected Pod (${names(withIP)}) has a container port named "${target}" for ${servicePort.protocol ?? 'TCP'}${theirs ? `; they declare ${theirs}` : ''}`;
  }
  const notReady = portOk.filter((p) => !isPodReady(p.pod) || isPodTerminating(p.pod));
  if (notReady.length === portOk.length) {
    const terminating = notReady.filter((p) => isPodTerminating(p.pod));
    const why =
      terminating.length === notReady.length
        ? 'they are all terminating and none is serving'
        : 'none of them is Ready (check the readiness probe)';
    return `${svc} selects ${wanted} and matches Pods ${names(portOk)}, but ${why}, so its endpoints are not ready and kube-proxy rejects the connection`;
  }
  if (!entry.computedSlices && all.length === 0) {
    return `${svc} selects Pods ${names(portOk)}, but no EndpointSlice labelled kubernetes.io/service-name=${entry.name} lists them for port ${servicePort.name || servicePort.port} (is the EndpointSlice controller running?)`;
  }
  return `${svc} has no ready endpoint for port ${servicePort.port}/${servicePort.protocol ?? 'TCP'}, so kube-proxy rejects the connection`;
}
