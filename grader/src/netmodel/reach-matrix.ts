import type { ClusterIndex, PodEntry } from './cluster-index';
import type { ListenerTable } from './listener.check';
import type { CompiledPeer, CompiledPolicy, CompiledRule } from './network-policy.compiler';
import type { PolicyEvaluator } from './network-policy.evaluator';
import type { From, ReachWalker } from './reach.walker';
import type { Protocol, Verdict } from './types';

/**
 * Pod × pod verdicts with bitsets: per destination, the sources its ingress admits; per source,
 * the destinations its egress admits; each pair is then two bit tests. Pairs the sets cannot express
 * (hostNetwork pods, a pod IP that is also a node IP) go through the walker's verdict path, which
 * is the same decision as reach() (a property test holds the two together).
 */
export class ReachMatrixBuilder {
  private readonly words: number;
  private readonly peerBits = new Map<CompiledPeer, Uint32Array>();
  private readonly all: Uint32Array;

  constructor(
    private readonly index: ClusterIndex,
    private readonly policies: PolicyEvaluator,
    private readonly listeners: ListenerTable,
    private readonly walker: ReachWalker,
  ) {
    this.words = Math.ceil(index.pods.length / 32) || 1;
    this.all = new Uint32Array(this.words).fill(0xffffffff);
  }

  /** Verdicts for every source × destination on one port (per destination, a named port resolved on it). */
  build(
    sources: PodEntry[],
    destinations: PodEntry[],
    ports: Array<number | undefined>,
    protocol: Protocol,
  ): Verdict[][] {
    const ingress = destinations.map((d, j) => this.ingressBits(d, ports[j], protocol));
    const ruleDestBits = new Map<CompiledRule, Uint32Array>();
    const accepts = destinations.map((d, j) => {
      const port = ports[j];
      return port !== undefined && d.running && this.listeners.accepts(d, d.ip!, port, protocol);
    });
    return sources.map((s) => {
      const from: From = this.walker.fromPod(s);
      const slow = s.hostNetwork || (s.ip !== undefined && this.index.nodesByIP.has(s.ip));
      const egress =
        s.running && !slow ? this.egressBits(s, destinations, ports, protocol, ruleDestBits) : undefined;
      return destinations.map((d, j): Verdict => {
        if (!s.running || !d.running) return 'unreachable';
        const port = ports[j];
        if (port === undefined) return 'refused';
        if (slow || d.hostNetwork) return this.walker.podVerdict(from, d, d.ip!, port, protocol, undefined);
        if (!has(egress!, j)) return 'blocked';
        if (!has(ingress[j]!, s.index)) return 'blocked';
        return accepts[j] ? 'connected' : 'refused';
      });
    });
  }

  /** Sources (by pod index) the destination's ingress admits on its port. */
  private ingressBits(dst: PodEntry, port: number | undefined, protocol: Protocol): Uint32Array {
    const policies = this.policies.selecting(dst, 'Ingress');
    if (!this.policies.enforced || dst.hostNetwork || policies.length === 0 || port === undefined)
      return this.all;
    const bits = new Uint32Array(this.words);
    for (const policy of policies) {
      for (const rule of policy.ingress!) {
        if (!this.policies.rulePortsMatch(rule, dst, port, protocol)) continue;
        if (!rule.peers) return this.all;
        for (const peer of rule.peers) or(bits, this.peerSet(peer, policy));
      }
    }
    set(bits, dst.index); // a pod cannot block itself
    return bits;
  }

  /** Destinations (by column) the source's egress admits, each on its own port. */
  private egressBits(
    src: PodEntry,
    destinations: PodEntry[],
    ports: Array<number | undefined>,
    protocol: Protocol,
    ruleDestBits: Map<CompiledRule, Uint32Array>,
  ): Uint32Array {
    const columns = Math.ceil(destinations.length / 32) || 1;
    const policies = this.policies.selecting(src, 'Egress');
    if (!this.policies.enforced || policies.length === 0) return new Uint32Array(columns).fill(0xffffffff);
    const bits = new Uint32Array(columns);
    for (const policy of policies) {
      for (const rule of policy.egress!) {
        let allowed = ruleDestBits.get(rule);
        if (!allowed) {
          allowed = new Uint32Array(columns);
          destinations.forEach((d, j) => {
            const port = ports[j];
            if (
              port === undefined ||
              !this.policies.rulePortsMatch(rule, d.hostNetwork ? undefined : d, port, protocol)
            )
              return;
            if (!rule.peers || rule.peers.some((peer) => has(this.peerSet(peer, policy), d.index)))
              set(allowed!, j);
          });
          ruleDestBits.set(rule, allowed);
        }
        or(bits, allowed);
      }
    }
    destinations.forEach((d, j) => d === src && set(bits, j)); // nor can it block itself
    return bits;
  }

  /** Pods (by index) one peer admits as the other end. */
  private peerSet(peer: CompiledPeer, policy: CompiledPolicy): Uint32Array {
    let bits = this.peerBits.get(peer);
    if (!bits) {
      bits = new Uint32Array(this.words);
      for (const pod of this.index.pods) {
        const party = pod.hostNetwork
          ? {
              ...(pod.ip ? { ip: pod.ip } : {}),
              ...(pod.ipNumber !== undefined ? { ipNumber: pod.ipNumber } : {}),
            }
          : {
              pod,
              ...(pod.ip ? { ip: pod.ip } : {}),
              ...(pod.ipNumber !== undefined ? { ipNumber: pod.ipNumber } : {}),
            };
        if (this.policies.peerMatches(peer, policy, party)) set(bits, pod.index);
      }
      this.peerBits.set(peer, bits);
    }
    return bits;
  }
}

function has(bits: Uint32Array, i: number): boolean {
  return (bits[i >>> 5]! & (1 << (i & 31))) !== 0;
}

function set(bits: Uint32Array, i: number): void {
  bits[i >>> 5]! |= 1 << (i & 31);
}

function or(into: Uint32Array, from: Uint32Array): void {
  for (let w = 0; w < into.length; w++) into[w]! |= from[w]!;
}
