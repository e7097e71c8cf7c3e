import { isIPv4, isIPv6 } from 'node:net';
import { GraderError, GraderErrorCode } from '../errors';
import type { ClusterIndex, NodeEntry, PodEntry } from './cluster-index';
import type { DnsResolver } from './dns.resolver';
import { cidrContains, ipv4ToNumber } from './ip-block';
import type { ListenerTable } from './listener.check';
import type { Party, PolicyEvaluator } from './network-policy.evaluator';
import { findNamedPort } from './pod-facts';
import { describeDecision, describeParty } from './policy-words';
import { checkPort, checkProtocol, fail, podState } from './reach-result';
import { ServiceRouter } from './service-router';
import type { PathLink, Protocol, ReachQuery, ReachResult, Source, Verdict } from './types';

export { checkPort, checkProtocol } from './reach-result';
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
  ) {
    this.services = new ServiceRouter(index, listeners, options, this);
  }

  private readonly parties: Array<Party | undefined> = [];
  private readonly services: ServiceRouter;

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
      return this.services.toService(from, entry, port, protocol, links);
    }
    if ('dns' in to) {
      const { answer, target } = this.dns.resolve(to.dns, from.pod);
      if (answer.rcode !== 'NOERROR' || answer.records.length === 0) {
        const word =
          answer.rcode === 'SERVFAIL'
            ? 'fails (SERVFAIL/timeout)'
            : answer.rcode === 'NXDOMAIN'
              ? 'does not resolve (NXDOMAIN)'
              : 'has no records (NODATA)';
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
          cname
            ? `${to.dns} is an alias (CNAME) for ${cname.value} outside the cluster; netlab does not model what lies beyond`
            : `${to.dns} has no address (A) record to connect to, only ${answer.records.map((r) => r.type).join(', ')} records`,
        );
      }
      if ('service' in target) return this.services.toService(from, target.service, port, protocol, links);
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

  /** Any IP: a Service VIP, a pod, a node (NodePort, hostPort), loopback, or outside the cluster. */
  toIP(from: From, ip: string, port: number | string, protocol: Protocol, links: PathLink[]): ReachResult {
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
    const service = this.index.servicesByIP.get(ip);
    if (service) return this.services.toService(from, service, port, protocol, links);
    const exposed = this.index.servicesByExternalIP.get(ip);
    if (exposed) return this.services.toService(from, exposed, port, protocol, links, true);
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
    if (node) return this.services.toNode(from, node, ip, port, protocol, links);
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

  /** The verdict of {@link toExternal} without text. */
  externalVerdict(from: From, ip: string, port: number, protocol: Protocol): Verdict {
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

  /** An address outside the cluster's pods and nodes: only the source's egress policy applies. */
  toExternal(from: From, ip: string, port: number, protocol: Protocol, links: PathLink[]): ReachResult {
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
  toPod(
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

  /** The listener link: does the app accept on ip:port? */
  listen(
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

  /** A successful result. */
  done(links: PathLink[], _from: From, reason: string, backend?: ReachResult['backend']): ReachResult {
    return { allowed: true, verdict: 'connected', path: links, reason, ...(backend ? { backend } : {}) };
  }
}
