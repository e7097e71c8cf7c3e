import type { V1ServicePort } from '@kubernetes/client-node';
import { isIPv4, isIPv6 } from 'node:net';
import { GraderError, GraderErrorCode } from '../errors';
import type { ClusterIndex, NodeEntry, PodEntry, ServiceEntry } from './cluster-index';
import type { DnsResolver } from './dns.resolver';
import { readyAddresses } from './dns.resolver';
import { cidrContains, ipv4ToNumber } from './ip-block';
import type { ListenerTable } from './listener.check';
import type { Party, PolicyEvaluator } from './network-policy.evaluator';
import { findNamedPort } from './pod-facts';
import { describeDecision, describeParty } from './policy-words';
import {
  describeServicePorts,
  diagnoseNoEndpoints,
  findServicePort,
  serviceBackends,
  usableBackends,
  type ServiceBackend,
} from './service-endpoints';
import type { PathLink, PathStep, Protocol, ReachQuery, ReachResult, Source, Verdict } from './types';

const PROTOCOLS: readonly string[] = ['TCP', 'UDP', 'SCTP'];
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** The source of a query, resolved against the index. */
export interface From {
  pod?: PodEntry;
  ip?: string;
  node?: NodeEntry;
  name: string;
}

/** Settings the walker needs from NetworkOptions. */
export interface WalkerOptions {
  serviceProxy: boolean;
  policyOnly: boolean;
}

/** Walks one query along DNS → Service → endpoints → targetPort → route → policies → listener. */
export class ReachWalker {
  constructor(
    private readonly index: ClusterIndex,
    private readonly policies: PolicyEvaluator,
    private readonly dns: DnsResolver,
    private readonly listeners: ListenerTable,
    private readonly options: WalkerOptions,
  ) {}

  private readonly parties: Array<Party | undefined> = [];

  /** Answers one {@link ReachQuery}; throws INVALID_INPUT for a malformed query or an unknown pod. */
  reach(query: ReachQuery): ReachResult {
    const protocol = checkProtocol(query.protocol ?? 'TCP');
    const port = checkPort(query.port);
    const from = this.source(query.from);
    const links: PathLink[] = [];
    if (from.pod && !from.pod.running) {
      return fail(links, 'route', 'unreachable', `source ${podState(from.pod)}, so it cannot send anything`);
    }
    const to = query.to;
    if ('pod' in to) {
      const pod = this.pod(to.pod, 'destination');
      const number = typeof port === 'number' ? port : this.containerPortByName(pod, port, protocol);
      return this.toPod(from, pod, pod.ip ?? '', number, protocol, links, undefined);
    }
    if ('service' in to) {
      const entry = this.index.services.get(`${to.service.namespace}/${to.service.name}`);
      if (!entry) {
        return fail(
          links,
          'service',
          'nxdomain',
          `Service ${to.service.namespace}/${to.service.name} does not exist, so ${to.service.name}.${to.service.namespace}.svc does not resolve`,
        );
      }
      return this.toService(from, entry, port, protocol, links);
    }
    if ('dns' in to) {
      const { answer, target } = this.dns.resolve(to.dns, from.pod);
      if (answer.rcode !== 'NOERROR') {
        const word = answer.rcode === 'SERVFAIL' ? 'fails (SERVFAIL/timeout)' : 'does not resolve (NXDOMAIN)';
        return fail(links, 'dns', 'nxdomain', `${to.dns} ${word}: ${answer.reason ?? 'no such name'}`);
      }
      const shown = answer.records.map((r) => (r.type === 'CNAME' ? `CNAME ${r.value}` : r.value)).join(', ');
      links.push({ step: 'dns', ok: true, detail: `${to.dns} resolves to ${shown} (${answer.fqdn})` });
      if (!target) {
        const cname = answer.records.find((r) => r.type === 'CNAME');
        return fail(
          links,
          'dns',
          'unreachable',
          `${to.dns} is an alias (CNAME) for ${cname?.value ?? 'a name'} outside the cluster; netlab does not model what lies beyond`,
        );
      }
      if ('service' in target) return this.toService(from, target.service, port, protocol, links);
      return this.toIP(from, target.ip, port, protocol, links);
    }
    const ip = to.ip.trim();
    if (!isIPv4(ip) && !isIPv6(ip) && ip !== 'localhost') {
      throw new GraderError(GraderErrorCode.INVALID_INPUT, `destination "${to.ip}" is not an IP address`);
    }
    return this.toIP(from, ip, port, protocol, links);
  }

  private source(source: Source): From {
    if ('pod' in source) {
      const pod = this.pod(source.pod, 'source');
      return pod.hostNetwork
        ? {
            pod,
            name: `Pod ${pod.key} (hostNetwork)`,
            ...(pod.ip ? { ip: pod.ip } : {}),
            ...this.nodeOf(pod),
          }
        : { pod, name: `Pod ${pod.key}`, ...(pod.ip ? { ip: pod.ip } : {}) };
    }
    const ip = source.ip.trim();
    if (!isIPv4(ip))
      throw new GraderError(GraderErrorCode.INVALID_INPUT, `source "${source.ip}" is not an IPv4 address`);
    const pod = this.index.podsByIP.get(ip);
    if (pod) return { pod, ip, name: `Pod ${pod.key}` };
    const node = this.index.nodesByIP.get(ip);
    if (node) return { node, ip, name: `node ${node.name} (${ip})` };
    return { ip, name: ip };
  }

  private nodeOf(pod: PodEntry): { node?: NodeEntry } {
    const node = this.index.nodeOf(pod);
    return node ? { node } : {};
  }

  private pod(ref: { namespace: string; name: string }, role: string): PodEntry {
    const pod = this.index.podsByKey.get(`${ref.namespace}/${ref.name}`);
    if (pod) return pod;
    const there = this.index.podsIn(ref.namespace).map((p) => p.name);
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `${role} Pod ${ref.namespace}/${ref.name} is not in the cluster state` +
        (there.length
          ? ` (Pods in ${ref.namespace}: ${there.slice(0, 10).join(', ')}${there.length > 10 ? ', …' : ''})`
          : ` (namespace ${ref.namespace} has no Pods)`),
    );
  }

  private containerPortByName(pod: PodEntry, name: string, protocol: Protocol): number {
    const port = findNamedPort(pod.pod, name, protocol);
    if (port !== undefined) return port;
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `Pod ${pod.key} has no container port named "${name}" for ${protocol}; give a port number instead`,
    );
  }

  private toIP(
    from: From,
    ip: string,
    port: number | string,
    protocol: Protocol,
    links: PathLink[],
  ): ReachResult {
    if (LOOPBACK.has(ip)) {
      if (!from.pod)
        return fail(
          links,
          'route',
          'unreachable',
          `${ip} is a loopback address: only a Pod can call itself on it`,
        );
      const number = typeof port === 'number' ? port : this.containerPortByName(from.pod, port, protocol);
      return this.listen(from, from.pod, ip, number, protocol, links);
    }
    const service = this.index.servicesByIP.get(ip) ?? this.index.servicesByExternalIP.get(ip);
    if (service) return this.toService(from, service, port, protocol, links);
    const pod = this.index.podsByIP.get(ip);
    if (pod) {
      const number = typeof port === 'number' ? port : this.containerPortByName(pod, port, protocol);
      return this.toPod(from, pod, ip, number, protocol, links, undefined);
    }
    if (typeof port === 'string') {
      throw new GraderError(
        GraderErrorCode.INVALID_INPUT,
        `port "${port}" is a name; ${ip} is not a Pod or Service, so give a number`,
      );
    }
    const node = this.index.nodesByIP.get(ip);
    if (node) return this.toNode(from, node, ip, port, protocol, links);
    const gone = this.index.pods.find((p) => p.ip === ip && !p.hostNetwork);
    if (gone)
      return fail(
        links,
        'route',
        'unreachable',
        `destination ${podState(gone)}, so there is no route to ${ip}`,
      );
    const ipNumber = ipv4ToNumber(ip);
    const cidr =
      ipNumber === undefined ? undefined : this.index.podCidrs.find((c) => cidrContains(c, ipNumber));
    if (cidr) {
      return fail(
        links,
        'route',
        'unreachable',
        `no running Pod has the IP ${ip} (it is in the pod network ${cidr.text}); the Pod may have been deleted or restarted with a new IP`,
      );
    }
    return this.toExternal(from, ip, port, protocol, links);
  }

  private toService(
    from: From,
    entry: ServiceEntry,
    port: number | string,
    protocol: Protocol,
    links: PathLink[],
  ): ReachResult {
    const spec = entry.service.spec ?? {};
    const svc = `Service ${entry.key}`;
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
    return this.viaBackends(from, entry, backends, protocol, links, undefined);
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
    backends: ServiceBackend[],
    protocol: Protocol,
    links: PathLink[],
    snat: NodeEntry | undefined,
  ): ReachResult {
    const verdicts = backends.map((b) =>
      b.pod
        ? this.podVerdict(from, b.pod, b.ip, b.port, protocol, snat)
        : this.externalVerdict(from, b.ip, b.port, protocol),
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
      result = this.toPod(from, chosen.pod, chosen.ip, chosen.port, protocol, own, snat);
    } else {
      own.push({
        step: 'target-port',
        ok: true,
        detail: `Service ${entry.key} sends to ${chosen.ip}:${chosen.port} (not a Pod in the state)`,
      });
      result = this.toExternal(from, chosen.ip, chosen.port, protocol, own);
    }
    const backendsOut = backends.map((b, i) => ({
      namespace: b.pod?.namespace ?? '',
      pod: b.pod?.name ?? '',
      ip: b.ip,
      port: b.port,
      verdict: verdicts[i]!,
    }));
    const failed = verdicts.filter((v) => v !== 'connected').length;
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

  /**
   * The verdict of {@link toPod} without any text: the truth-table fast path. `from` must already be
   * known to be running (reach checks the source first).
   */
  podVerdict(
    from: From,
    pod: PodEntry,
    ip: string,
    port: number,
    protocol: Protocol,
    snat: NodeEntry | undefined,
  ): Verdict {
    if (!pod.running) return 'unreachable';
    if (from.pod && !from.pod.hostNetwork) {
      const dst: Party = pod.hostNetwork
        ? { ip, ...(pod.ipNumber !== undefined ? { ipNumber: pod.ipNumber } : {}) }
        : this.partyOf(pod);
      if (!this.policies.egress(from.pod, dst, port, protocol).allowed) return 'blocked';
    }
    if (!pod.hostNetwork && !this.policies.ingress(pod, this.sourceParty(from, snat), port, protocol).allowed)
      return 'blocked';
    return this.listeners.accepts(pod, ip, port, protocol) ? 'connected' : 'refused';
  }

  private externalVerdict(from: From, ip: string, port: number, protocol: Protocol): Verdict {
    if (!from.pod || from.pod.hostNetwork) return 'connected';
    const ipNumber = ipv4ToNumber(ip);
    const peer: Party = { ip, ...(ipNumber !== undefined ? { ipNumber } : {}) };
    return this.policies.egress(from.pod, peer, port, protocol).allowed ? 'connected' : 'blocked';
  }

  /** A pod as the other end of a connection (cached: the truth table asks for the same pods a million times). */
  private partyOf(pod: PodEntry): Party {
    let party = this.parties[pod.index];
    if (!party) {
      party = {
        pod,
        ...(pod.ip ? { ip: pod.ip } : {}),
        ...(pod.ipNumber !== undefined ? { ipNumber: pod.ipNumber } : {}),
      };
      this.parties[pod.index] = party;
    }
    return party;
  }

  /** The source of a truth-table row: a pod as reach() would see it. */
  fromPod(pod: PodEntry): From {
    return this.source({ pod: { namespace: pod.namespace, name: pod.name } });
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
    return this.toIP(from, first.ip, number, protocol, links);
  }

  private toNode(
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
    if (local) {
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
    return this.viaBackends(from, entry, backends, protocol, links, local ? undefined : node);
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
            return this.toPod(from, pod, pod.ip!, cp.containerPort, protocol, links, undefined);
          }
        }
      }
    }
    const host = onNode.filter((p) => p.hostNetwork);
    for (const pod of host) {
      const check = this.listeners.check(pod, ip, port, protocol);
      if (check.ok) return this.listen(from, pod, ip, port, protocol, links);
    }
    if (this.options.policyOnly) {
      return this.done(
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

  private toExternal(
    from: From,
    ip: string,
    port: number,
    protocol: Protocol,
    links: PathLink[],
  ): ReachResult {
    const ipNumber = ipv4ToNumber(ip);
    const peer: Party = { ip, ...(ipNumber !== undefined ? { ipNumber } : {}) };
    if (from.pod && !from.pod.hostNetwork) {
      const decision = this.policies.egress(from.pod, peer, port, protocol);
      const detail = describeDecision(this.policies, 'Egress', from.pod, peer, ip, decision, port, protocol);
      if (!decision.allowed) return fail(links, 'egress-policy', 'blocked', detail);
      links.push({ step: 'egress-policy', ok: true, detail });
    }
    links.push({
      step: 'listener',
      ok: true,
      detail: `${ip} is outside the cluster's Pods and nodes; netlab assumes something answers there`,
    });
    return this.done(links, from, `${from.name} may send to ${ip}:${port}/${protocol} (outside the cluster)`);
  }

  /** The last hops to one pod: route, egress of the source, ingress of the destination, listener. */
  private toPod(
    from: From,
    pod: PodEntry,
    ip: string,
    port: number,
    protocol: Protocol,
    links: PathLink[],
    snat: NodeEntry | undefined,
  ): ReachResult {
    if (!pod.running)
      return fail(links, 'route', 'unreachable', `destination ${podState(pod)}, so there is no route to it`);
    const target = pod.hostNetwork ? `${ip} (node ${pod.nodeName ?? '?'}, hostNetwork)` : ip;
    links.push({ step: 'route', ok: true, detail: `Pod ${pod.key} is running at ${target}` });
    const dstParty: Party = {
      ...(pod.hostNetwork ? {} : { pod }),
      ip,
      ...(pod.ipNumber !== undefined ? { ipNumber: pod.ipNumber } : {}),
    };
    const dstName = describeParty(dstParty, pod.hostNetwork ? pod.nodeName : undefined);
    if (from.pod && !from.pod.hostNetwork) {
      const decision = this.policies.egress(from.pod, dstParty, port, protocol);
      const detail = describeDecision(
        this.policies,
        'Egress',
        from.pod,
        dstParty,
        dstName,
        decision,
        port,
        protocol,
      );
      if (!decision.allowed) return fail(links, 'egress-policy', 'blocked', detail);
      links.push({ step: 'egress-policy', ok: true, detail });
    }
    if (!pod.hostNetwork) {
      const srcParty = this.sourceParty(from, snat);
      const srcNode =
        snat?.name ??
        (srcParty.pod ? undefined : (from.node?.name ?? this.index.nodesByIP.get(srcParty.ip ?? '')?.name));
      const srcName = describeParty(srcParty, srcNode) + (snat ? ` (${from.name} after NodePort SNAT)` : '');
      const decision = this.policies.ingress(pod, srcParty, port, protocol);
      const detail = describeDecision(
        this.policies,
        'Ingress',
        pod,
        srcParty,
        srcName,
        decision,
        port,
        protocol,
      );
      if (!decision.allowed) return fail(links, 'ingress-policy', 'blocked', detail);
      links.push({ step: 'ingress-policy', ok: true, detail });
    }
    return this.listen(from, pod, ip, port, protocol, links);
  }

  private listen(
    from: From,
    pod: PodEntry,
    ip: string,
    port: number,
    protocol: Protocol,
    links: PathLink[],
  ): ReachResult {
    const check = this.listeners.check(pod, ip, port, protocol);
    if (!check.ok)
      return fail(links, 'listener', 'refused', check.detail, {
        namespace: pod.namespace,
        pod: pod.name,
        ip,
        port,
      });
    links.push({ step: 'listener', ok: true, detail: check.detail });
    return this.done(links, from, `${from.name} connects to Pod ${pod.key} at ${ip}:${port}/${protocol}`, {
      namespace: pod.namespace,
      pod: pod.name,
      ip,
      port,
    });
  }

  private sourceParty(from: From, snat: NodeEntry | undefined): Party {
    if (!snat && from.pod && !from.pod.hostNetwork) return this.partyOf(from.pod);
    const ip = snat?.ips[0] ?? (from.pod?.hostNetwork ? (from.node?.ips[0] ?? from.ip) : from.ip);
    const ipNumber = ip ? ipv4ToNumber(ip) : undefined;
    const pod = !snat && from.pod && !from.pod.hostNetwork ? from.pod : undefined;
    return {
      ...(pod ? { pod } : {}),
      ...(ip ? { ip } : {}),
      ...(ipNumber !== undefined ? { ipNumber } : {}),
    };
  }

  private done(
    links: PathLink[],
    _from: From,
    reason: string,
    backend?: ReachResult['backend'],
  ): ReachResult {
    return { allowed: true, verdict: 'connected', path: links, reason, ...(backend ? { backend } : {}) };
  }
}

function fail(
  links: PathLink[],
  step: PathStep,
  verdict: Verdict,
  detail: string,
  backend?: ReachResult['backend'],
): ReachResult {
  return {
    allowed: false,
    verdict,
    path: [...links, { step, ok: false, detail }],
    reason: detail,
    ...(backend ? { backend } : {}),
  };
}

function podState(pod: PodEntry): string {
  const phase = pod.pod.status?.phase ?? 'Pending';
  if (phase === 'Failed' || phase === 'Succeeded') return `Pod ${pod.key} has terminated (phase ${phase})`;
  return `Pod ${pod.key} has no IP (phase ${phase}${pod.nodeName ? `, node ${pod.nodeName}` : ', not scheduled'}; no pod network yet?)`;
}

/** Validates a protocol; throws INVALID_INPUT. */
export function checkProtocol(protocol: string): Protocol {
  if (PROTOCOLS.includes(protocol)) return protocol as Protocol;
  throw new GraderError(GraderErrorCode.INVALID_INPUT, `protocol "${protocol}" is not one of TCP, UDP, SCTP`);
}

/** Validates a port number (1-65535) or a port name; throws INVALID_INPUT. */
export function checkPort(port: number | string): number | string {
  if (typeof port === 'string' && /^\d+$/.test(port)) port = Number(port);
  if (typeof port === 'number') {
    if (Number.isInteger(port) && port >= 1 && port <= 65535) return port;
    throw new GraderError(
      GraderErrorCode.INVALID_INPUT,
      `port ${port} is out of range: a port is a whole number from 1 to 65535`,
    );
  }
  if (/^[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$/.test(port) && /[a-z]/.test(port)) return port;
  throw new GraderError(
    GraderErrorCode.INVALID_INPUT,
    `port "${port}" is neither a number (1-65535) nor a port name (lowercase letters, digits, dashes; at most 15)`,
  );
}
