import type { V1NetworkPolicy } from '@kubernetes/client-node';
import type { ClusterIndex, PodEntry } from './cluster-index';
import { ipBlockContains } from './ip-block';
import { matchesLabelSelector } from './label-selector';
import {
  compilePolicy,
  describeRule,
  type CompiledPeer,
  type CompiledPolicy,
  type CompiledPort,
  type CompiledRule,
  type Direction,
} from './network-policy.compiler';
import { declaredPorts } from './pod-facts';
import type { Protocol } from './types';

/** The other end of a connection as a policy sees it: a pod (matched by selectors and IP) or a bare IP. */
export interface Party {
  /** A pod in the pod network; hostNetwork pods appear as their node's IP, never as a pod. */
  pod?: PodEntry;
  ip?: string;
  ipNumber?: number;
}

/** Why policy did not apply at all. */
export type PolicyBypass = 'not-enforced' | 'host-network' | 'same-pod' | 'resident-node';

/** The outcome of one direction (egress of the source, or ingress of the destination). */
export interface PolicyDecision {
  allowed: boolean;
  /** Policies that select the pod for this direction (isolating it when there is any). */
  policies: CompiledPolicy[];
  allowedBy?: { policy: CompiledPolicy; rule: CompiledRule };
  bypass?: PolicyBypass;
}

/**
 * NetworkPolicy evaluation over one cluster: which policies isolate each pod per direction is
 * computed once; peer membership per pod is cached on first use, so a query costs a few lookups.
 */
export class PolicyEvaluator {
  readonly policies: CompiledPolicy[];
  private readonly ingressOf: CompiledPolicy[][];
  private readonly egressOf: CompiledPolicy[][];
  private readonly namedPorts: Array<Map<string, number> | undefined>;

  constructor(
    private readonly index: ClusterIndex,
    policies: V1NetworkPolicy[],
    readonly enforced = true,
  ) {
    const count = index.pods.length;
    this.policies = policies.map((p) => compilePolicy(p, count));
    this.ingressOf = Array.from({ length: count }, () => []);
    this.egressOf = Array.from({ length: count }, () => []);
    this.namedPorts = new Array(count);
    for (const policy of this.policies) {
      for (const pod of index.podsIn(policy.namespace)) {
        // Policies never apply to hostNetwork pods: their traffic is the node's.
        if (pod.hostNetwork || !matchesLabelSelector(pod.labels, policy.podSelector)) continue;
        if (policy.ingress) this.ingressOf[pod.index]!.push(policy);
        if (policy.egress) this.egressOf[pod.index]!.push(policy);
      }
    }
  }

  /** Policies isolating `pod` in `direction` (empty: not isolated). */
  selecting(pod: PodEntry, direction: Direction): CompiledPolicy[] {
    return (direction === 'Ingress' ? this.ingressOf : this.egressOf)[pod.index] ?? [];
  }

  /** May `source` send to `destination` on port/protocol (the destination pod's port, after Service translation)? */
  egress(source: PodEntry, destination: Party, port: number, protocol: Protocol): PolicyDecision {
    return this.decide('Egress', source, destination, destination.pod, port, protocol);
  }

  /** May `destination` receive from `source` on port/protocol? */
  ingress(destination: PodEntry, source: Party, port: number, protocol: Protocol): PolicyDecision {
    return this.decide('Ingress', destination, source, destination, port, protocol);
  }

  /** Whether `ip` is `pod`'s own node: a pod cannot block traffic from its resident node. */
  isResidentNode(pod: PodEntry, ip: string | undefined): boolean {
    return (
      ip !== undefined && pod.nodeName !== undefined && this.index.nodesByIP.get(ip)?.name === pod.nodeName
    );
  }

  private decide(
    direction: Direction,
    subject: PodEntry,
    peer: Party,
    portOwner: PodEntry | undefined,
    port: number,
    protocol: Protocol,
  ): PolicyDecision {
    const policies = this.selecting(subject, direction);
    if (!this.enforced) return { allowed: true, policies, bypass: 'not-enforced' };
    if (subject.hostNetwork) return { allowed: true, policies: [], bypass: 'host-network' };
    if (peer.pod === subject) return { allowed: true, policies, bypass: 'same-pod' };
    if (direction === 'Ingress' && this.isResidentNode(subject, peer.ip)) {
      return { allowed: true, policies, bypass: 'resident-node' };
    }
    if (policies.length === 0) return { allowed: true, policies };
    for (const policy of policies) {
      for (const rule of (direction === 'Ingress' ? policy.ingress : policy.egress)!) {
        if (this.ruleAllows(rule, policy, peer, portOwner, port, protocol)) {
          return { allowed: true, policies, allowedBy: { policy, rule } };
        }
      }
    }
    return { allowed: false, policies };
  }

  /** Whether one rule admits the peer on the port. */
  ruleAllows(
    rule: CompiledRule,
    policy: CompiledPolicy,
    peer: Party,
    portOwner: PodEntry | undefined,
    port: number,
    protocol: Protocol,
  ): boolean {
    return this.rulePortsMatch(rule, portOwner, port, protocol) && this.rulePeersMatch(rule, policy, peer);
  }

  /** Whether the rule's ports admit port/protocol (named ports looked up on `portOwner`). */
  rulePortsMatch(
    rule: CompiledRule,
    portOwner: PodEntry | undefined,
    port: number,
    protocol: Protocol,
  ): boolean {
    return !rule.ports || rule.ports.some((p) => this.portMatches(p, portOwner, port, protocol));
  }

  /** Whether the rule's peers admit `peer`. */
  rulePeersMatch(rule: CompiledRule, policy: CompiledPolicy, peer: Party): boolean {
    return !rule.peers || rule.peers.some((p) => this.peerMatches(p, policy, peer));
  }

  /** A rule in words, for explanations. */
  describe(rule: CompiledRule, direction: Direction, policy: CompiledPolicy): string {
    return describeRule(rule, direction, policy.namespace);
  }

  private portMatches(
    p: CompiledPort,
    owner: PodEntry | undefined,
    port: number,
    protocol: Protocol,
  ): boolean {
    if (p.protocol !== protocol) return false;
    if (p.name !== undefined) return owner !== undefined && this.namedPort(owner, p.name, protocol) === port;
    if (p.port === undefined) return true;
    return p.endPort === undefined ? p.port === port : port >= p.port && port <= p.endPort;
  }

  /** Whether one peer of a rule admits the party (cached per pod). */
  peerMatches(peer: CompiledPeer, policy: CompiledPolicy, party: Party): boolean {
    if (peer.kind === 'ipBlock')
      return party.ipNumber !== undefined && ipBlockContains(peer.block, party.ipNumber);
    const pod = party.pod;
    if (!pod || pod.hostNetwork) return false;
    const cached = peer.members[pod.index];
    if (cached !== undefined && cached !== -1) return cached === 1;
    const inNamespace = peer.namespaceSelector
      ? matchesLabelSelector(this.index.namespace(pod.namespace).labels, peer.namespaceSelector)
      : pod.namespace === policy.namespace;
    const match = inNamespace && (!peer.podSelector || matchesLabelSelector(pod.labels, peer.podSelector));
    peer.members[pod.index] = match ? 1 : 0;
    return match;
  }

  private namedPort(pod: PodEntry, name: string, protocol: Protocol): number | undefined {
    let ports = this.namedPorts[pod.index];
    if (!ports) {
      ports = new Map();
      for (const p of declaredPorts(pod.pod)) {
        const key = `${p.name}/${p.protocol}`;
        if (p.name && !ports.has(key)) ports.set(key, p.containerPort);
      }
      this.namedPorts[pod.index] = ports;
    }
    return ports.get(`${name}/${protocol}`);
  }
}
