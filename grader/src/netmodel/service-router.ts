import type { V1ServicePort } from '@kubernetes/client-node';
import type { ClusterIndex, NodeEntry, ServiceEntry } from './cluster-index';
import { readyAddresses } from './dns.resolver';
import type { ListenerTable } from './listener.check';
import { fail } from './reach-result';
import type { From, ReachWalker, WalkerOptions } from './reach.walker';
import {
  describeServicePorts,
  diagnoseNoEndpoints,
  findServicePort,
  serviceBackends,
  usableBackends,
  type ServiceBackend,
} from './service-endpoints';
import type { PathLink, Protocol, ReachResult } from './types';

/** The Service part of a path: port lookup, kube-proxy, endpoints and traffic policies, NodePorts. */
export class ServiceRouter {
  constructor(
    private readonly index: ClusterIndex,
    private readonly listeners: ListenerTable,
    private readonly options: WalkerOptions,
    private readonly walker: ReachWalker,
  ) {}

  /** A Service by ClusterIP or name (or, `viaOuterIP`, by load-balancer / external IP): port, kube-proxy, endpoints, then each backend. */
  toService(
    from: From,
    entry: ServiceEntry,
    port: number | string,
    protocol: Protocol,
    links: PathLink[],
    viaOuterIP = false,
  ): ReachResult {
    const spec = entry.service.spec ?? {};
    const svc = `Service ${entry.key}`;
    if (!from.pod && !from.node && !viaOuterIP && spec.clusterIP !== 'None') {
      return fail(
        links,
        'route',
        'unreachable',
        `${from.name} is outside the cluster, and ${svc}'s ClusterIP ${spec.clusterIP ?? ''} is reachable only from Pods and nodes; use a NodePort, a LoadBalancer or an Ingress`,
      );
    }
    if (spec.type === 'ExternalName') {
      return fail(
        links,
        'service',
        'unreachable',
        `${svc} is an ExternalName alias for ${spec.externalName ?? '(nothing)'}; the connection leaves the cluster and netlab does not model what lies beyond`,
      );
    }
    if (spec.clusterIP === 'None') return this.toHeadless(from, entry, port, protocol, links);
    const servicePort = findServicePort(entry, port, protocol);
    if (!servicePort) {
      return fail(
        links,
        'service',
        'unreachable',
        `${svc} has no ${typeof port === 'number' ? `port ${port}` : `port named "${port}"`} for ${protocol} (it exposes ${describeServicePorts(entry)}), so nothing forwards the connection`,
      );
    }
    if (!this.options.serviceProxy) {
      return fail(
        links,
        'service',
        'unreachable',
        `kube-proxy is not running, so nothing programs ${svc}'s virtual IP ${spec.clusterIP}: connections to it go nowhere`,
      );
    }
    const target = servicePort.targetPort ?? servicePort.port;
    links.push({
      step: 'service',
      ok: true,
      detail: `${svc} (ClusterIP ${spec.clusterIP}) port ${servicePort.port}/${protocol} forwards to targetPort ${target}`,
    });
    let backends = this.backends(entry, servicePort, links);
    if (typeof backends === 'string') return fail(links, 'endpoints', 'refused', backends);
    if (spec.internalTrafficPolicy === 'Local' && from.pod) {
      const local = backends.filter((b) => b.nodeName && b.nodeName === from.pod!.nodeName);
      if (local.length === 0) {
        return fail(
          links,
          'endpoints',
          'blocked',
          `${svc} has internalTrafficPolicy Local and no endpoint on ${from.name}'s node ${from.pod.nodeName ?? '(unknown)'}, so kube-proxy drops the connection`,
        );
      }
      backends = local;
    }
    return this.viaBackends(from, entry, servicePort, backends, protocol, links, undefined);
  }

  /** Usable endpoints for a Service port, recording the endpoints link; a string is why there is none. */
  private backends(
    entry: ServiceEntry,
    servicePort: V1ServicePort,
    links: PathLink[],
  ): ServiceBackend[] | string {
    const all = serviceBackends(this.index, entry, servicePort);
    const { backends, fallback } = usableBackends(all);
    if (backends.length === 0) return diagnoseNoEndpoints(this.index, entry, servicePort, all);
    const shown = backends
      .slice(0, 4)
      .map((b) => `${b.ip}:${b.port}${b.pod ? ` (Pod ${b.pod.name})` : ''}`)
      .join(', ');
    const more = backends.length > 4 ? `, … ${backends.length} in all` : '';
    links.push({
      step: 'endpoints',
      ok: true,
      detail: fallback
        ? `no endpoint is ready, so kube-proxy falls back to serving, terminating ones: ${shown}${more}`
        : `${backends.length} ready endpoint${backends.length === 1 ? '' : 's'}: ${shown}${more}`,
    });
    return backends;
  }

  /**
   * Every backend is tried (verdicts only, which is cheap); the full path is written for the first
   * failing one (the learner sees intermittent failures), or for the first backend when all connect.
   */
  private viaBackends(
    from: From,
    entry: ServiceEntry,
    servicePort: V1ServicePort,
    backends: ServiceBackend[],
    protocol: Protocol,
    links: PathLink[],
    snat: NodeEntry | undefined,
  ): ReachResult {
    const verdicts = backends.map((b) =>
      b.pod
        ? this.walker.podVerdict(from, b.pod, b.ip, b.port, protocol, snat)
        : this.walker.externalVerdict(from, b.ip, b.port, protocol),
    );
    const failedAt = verdicts.findIndex((v) => v !== 'connected');
    const chosen = backends[Math.max(failedAt, 0)]!;
    const own = [...links];
    let result: ReachResult;
    if (chosen.pod) {
      own.push({
        step: 'target-port',
        ok: true,
        detail: `Service ${entry.key} sends to Pod ${chosen.pod.key} at ${chosen.ip}:${chosen.port}`,
      });
      result = this.walker.toPod(from, chosen.pod, chosen.ip, chosen.port, protocol, own, snat);
    } else {
      own.push({
        step: 'target-port',
        ok: true,
        detail: `Service ${entry.key} sends to ${chosen.ip}:${chosen.port} (not a Pod in the state)`,
      });
      result = this.walker.toExternal(from, chosen.ip, chosen.port, protocol, own);
    }
    const backendsOut = backends.map((b, i) => ({
      namespace: b.pod?.namespace ?? '',
      pod: b.pod?.name ?? '',
      ip: b.ip,
      port: b.port,
      verdict: verdicts[i]!,
    }));
    const failed = verdicts.filter((v) => v !== 'connected').length;
    const broken = result.path.at(-1);
    const nothingOnPort =
      chosen.pod !== undefined &&
      !this.listeners.listeners(chosen.pod).some((l) => l.port === chosen.port && l.protocol === protocol);
    if (result.verdict === 'refused' && broken?.step === 'listener' && !broken.ok && nothingOnPort) {
      // Nothing listens where the Service sends: the learner should look at targetPort as well as the app.
      const target = servicePort.targetPort ?? servicePort.port;
      const hint = `Service ${entry.key} sends to port ${chosen.port}${String(target) !== String(chosen.port) ? ` (targetPort ${target})` : ''}: check its targetPort against the port the app really listens on`;
      result = { ...result, reason: `${result.reason}; ${hint}` };
    }
    if (chosen.pod && !result.backend) {
      result = {
        ...result,
        backend: { namespace: chosen.pod.namespace, pod: chosen.pod.name, ip: chosen.ip, port: chosen.port },
      };
    }
    if (failed === 0 || failed === backends.length) return { ...result, backends: backendsOut };
    return {
      ...result,
      backends: backendsOut,
      reason: `${failed} of ${backends.length} endpoints of Service ${entry.key} fail (connections fail intermittently): ${result.reason}`,
    };
  }

  private toHeadless(
    from: From,
    entry: ServiceEntry,
    port: number | string,
    protocol: Protocol,
    links: PathLink[],
  ): ReachResult {
    const addresses = readyAddresses(entry);
    if (addresses.length === 0) {
      return fail(
        links,
        'endpoints',
        'nxdomain',
        `headless Service ${entry.key} has no ready endpoints, so its name has no addresses to connect to`,
      );
    }
    // Clients of a headless Service connect straight to a Pod IP on the port they chose: no translation.
    const number = typeof port === 'number' ? port : findServicePort(entry, port, protocol)?.port;
    if (number === undefined) {
      return fail(
        links,
        'service',
        'unreachable',
        `headless Service ${entry.key} has no port named "${port}" for ${protocol}`,
      );
    }
    const first = addresses[0]!;
    links.push({
      step: 'service',
      ok: true,
      detail: `Service ${entry.key} is headless: its name resolves to Pod IPs (${addresses.map((a) => a.ip).join(', ')}); the client connects to ${first.ip}:${number} directly`,
    });
    return this.walker.toIP(from, first.ip, number, protocol, links);
  }

  /** A node IP: a NodePort, else a hostPort or a hostNetwork pod, else nothing listens. */
  toNode(
    from: From,
    node: NodeEntry,
    ip: string,
    port: number,
    protocol: Protocol,
    links: PathLink[],
  ): ReachResult {
    const entry = [...this.index.services.values()].find((s) =>
      (s.service.spec?.ports ?? []).some((p) => p.nodePort === port && (p.protocol ?? 'TCP') === protocol),
    );
    if (!entry) return this.toHost(from, node, ip, port, protocol, links);
    const servicePort = entry.service.spec!.ports!.find(
      (p) => p.nodePort === port && (p.protocol ?? 'TCP') === protocol,
    )!;
    const svc = `Service ${entry.key}`;
    if (!this.options.serviceProxy) {
      return fail(
        links,
        'service',
        'unreachable',
        `kube-proxy is not running, so NodePort ${port} of ${svc} is not open on node ${node.name}`,
      );
    }
    const local = entry.service.spec?.externalTrafficPolicy === 'Local';
    links.push({
      step: 'service',
      ok: true,
      detail: `NodePort ${port}/${protocol} on node ${node.name} belongs to ${svc} port ${servicePort.port} (externalTrafficPolicy ${local ? 'Local' : 'Cluster'})`,
    });
    let backends = this.backends(entry, servicePort, links);
    if (typeof backends === 'string') return fail(links, 'endpoints', 'refused', backends);
    // kube-proxy short-circuits Pod traffic to the whole Service (unmasqueraded), and masquerades
    // traffic from the receiving node itself; only traffic from elsewhere is held to local endpoints.
    const fromPod = from.pod !== undefined && !from.pod.hostNetwork;
    const fromSameNode = from.node?.name === node.name;
    if (local && fromSameNode) {
      return this.viaBackends(from, entry, servicePort, backends, protocol, links, node);
    }
    if (local && !fromPod) {
      backends = backends.filter((b) => b.nodeName === node.name);
      if (backends.length === 0) {
        return fail(
          links,
          'endpoints',
          'blocked',
          `${svc} has externalTrafficPolicy Local and no endpoint on node ${node.name}, so kube-proxy drops NodePort traffic arriving there`,
        );
      }
    }
    // With externalTrafficPolicy Cluster the node masquerades: the backend sees the node's IP as the source.
    return this.viaBackends(from, entry, servicePort, backends, protocol, links, local ? undefined : node);
  }

  private toHost(
    from: From,
    node: NodeEntry,
    ip: string,
    port: number,
    protocol: Protocol,
    links: PathLink[],
  ): ReachResult {
    const onNode = this.index.pods.filter((p) => p.nodeName === node.name && p.running);
    for (const pod of onNode) {
      for (const c of pod.pod.spec?.containers ?? []) {
        for (const cp of c.ports ?? []) {
          if (cp.hostPort === port && (cp.protocol ?? 'TCP') === protocol && !pod.hostNetwork) {
            links.push({
              step: 'route',
              ok: true,
              detail: `hostPort ${port} on node ${node.name} forwards to Pod ${pod.key} port ${cp.containerPort}`,
            });
            return this.walker.toPod(from, pod, pod.ip!, cp.containerPort, protocol, links, undefined);
          }
        }
      }
    }
    const host = onNode.filter((p) => p.hostNetwork);
    for (const pod of host) {
      const check = this.listeners.check(pod, ip, port, protocol);
      if (check.ok) return this.walker.listen(from, pod, ip, port, protocol, links);
    }
    if (this.options.policyOnly) {
      return this.walker.done(
        links,
        from,
        `${from.name} reaches node ${node.name} (${ip}) on ${protocol} ${port} (policy-only mode)`,
      );
    }
    return fail(
      links,
      'listener',
      'refused',
      `nothing on node ${node.name} (${ip}) listens on ${protocol} ${port}: it is not a NodePort, a hostPort or a hostNetwork Pod's port`,
    );
  }
}
