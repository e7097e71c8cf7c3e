import { GraderError, GraderErrorCode } from '../errors';
import { ClusterIndex, type PodEntry } from './cluster-index';
import { DnsResolver, type DnsPathCheck } from './dns.resolver';
import { ListenerTable } from './listener.check';
import { PolicyEvaluator, type Party } from './network-policy.evaluator';
import { findNamedPort } from './pod-facts';
import { ReachMatrixBuilder } from './reach-matrix';
import { checkPort, checkProtocol, ReachWalker } from './reach.walker';
import type {
  ClusterState,
  DnsAnswer,
  NetModel,
  NetworkOptions,
  Protocol,
  ReachQuery,
  ReachResult,
  Source,
  Verdict,
} from './types';

/** A pod as a row or column of a truth table. */
export interface PodRef {
  namespace: string;
  name: string;
}

/** A who-can-reach-whom table: `verdicts[i][j]` is from `sources[i]` to `destinations[j]`. */
export interface ReachMatrix {
  sources: PodRef[];
  destinations: PodRef[];
  port: number | string;
  protocol: Protocol;
  verdicts: Verdict[][];
}

/** The {@link NetModel} over an indexed cluster, plus truth tables. */
export class IndexedNetModel implements NetModel {
  readonly index: ClusterIndex;
  readonly policies: PolicyEvaluator;
  private readonly listeners: ListenerTable;
  private readonly dns: DnsResolver;
  private readonly walker: ReachWalker;

  constructor(state: ClusterState, options: NetworkOptions = {}) {
    this.index = new ClusterIndex(state);
    this.policies = new PolicyEvaluator(
      this.index,
      state.networkPolicies ?? [],
      options.policyEnforced !== false,
    );
    const listenerMode = options.listeners ?? { mode: 'declared' };
    this.listeners = new ListenerTable(listenerMode);
    const serviceProxy = options.serviceProxy !== false;
    const policyOnly = listenerMode.mode === 'any';
    const dnsWalker = new ReachWalker(
      this.index,
      this.policies,
      undefined!,
      new ListenerTable({ mode: 'any' }),
      {
        serviceProxy,
        policyOnly: true,
      },
    );
    this.dns = new DnsResolver(
      this.index,
      options.clusterDomain ?? 'cluster.local',
      options.dnsAvailable !== false,
      this.dnsPathCheck(dnsWalker),
    );
    this.walker = new ReachWalker(this.index, this.policies, this.dns, this.listeners, {
      serviceProxy,
      policyOnly,
    });
  }

  /** DNS as CoreDNS answers it for a process in `from` (search path, policies towards kube-dns). */
  resolve(name: string, from?: Source): DnsAnswer {
    const pod =
      from && 'pod' in from ? this.podEntry(from.pod) : from ? this.index.podsByIP.get(from.ip) : undefined;
    return this.dns.resolve(name, pod).answer;
  }

  /** Can `from` reach `to`? The path link by link, and the first broken link in words. */
  reach(query: ReachQuery): ReachResult {
    return this.walker.reach(query);
  }

  /**
   * Pod-to-pod truth table on one port (no Service in between): route, egress, ingress, listener.
   * Computes only verdicts, no text, so a 1,000 × 1,000 table stays fast.
   */
  matrix(
    sources: PodRef[],
    destinations: PodRef[],
    port: number | string,
    protocol: Protocol = 'TCP',
  ): ReachMatrix {
    checkProtocol(protocol);
    const checked = checkPort(port);
    const from = sources.map((s) => this.podEntry(s));
    const to = destinations.map((d) => this.podEntry(d));
    const ports = to.map((d) =>
      typeof checked === 'number' ? checked : findNamedPort(d.pod, checked, protocol),
    );
    const verdicts = new ReachMatrixBuilder(this.index, this.policies, this.listeners, this.walker).build(
      from,
      to,
      ports,
      protocol,
    );
    return { sources, destinations, port: checked, protocol, verdicts };
  }

  private podEntry(ref: PodRef): PodEntry {
    const pod = this.index.podsByKey.get(`${ref.namespace}/${ref.name}`);
    if (!pod) {
      throw new GraderError(
        GraderErrorCode.INVALID_INPUT,
        `Pod ${ref.namespace}/${ref.name} is not in the cluster state`,
      );
    }
    return pod;
  }

  /** Lookups fail when the source cannot send UDP 53 to cluster DNS (egress policy, no CoreDNS endpoints). */
  private dnsPathCheck(walker: ReachWalker): DnsPathCheck {
    // The answer depends only on the source pod: cache it, DNS sits in front of most queries.
    const cache = new Map<number, ReturnType<DnsPathCheck>>();
    return (from) => {
      let answer = cache.get(from.index);
      if (!answer) {
        answer = this.checkDnsPath(walker, from);
        cache.set(from.index, answer);
      }
      return answer;
    };
  }

  private checkDnsPath(walker: ReachWalker, from: PodEntry): ReturnType<DnsPathCheck> {
    const kubeDns = this.index.services.get('kube-system/kube-dns');
    if (kubeDns) {
      const result = walker.reach({
        from: { pod: from },
        to: { service: kubeDns },
        port: 53,
        protocol: 'UDP',
      });
      if (result.allowed) return { ok: true };
      return {
        ok: false,
        reason: `the lookup times out: Pod ${from.key} cannot reach cluster DNS (Service kube-system/kube-dns, UDP 53): ${result.reason}`,
      };
    }
    // No kube-dns Service in the state: check egress towards a CoreDNS pod as kubeadm labels it.
    const coreDns =
      this.index.podsIn('kube-system').find((p) => p.labels['k8s-app'] === 'kube-dns') ??
      this.virtualCoreDns();
    const party: Party = {
      pod: coreDns,
      ...(coreDns.ip ? { ip: coreDns.ip, ipNumber: coreDns.ipNumber! } : {}),
    };
    const decision = this.policies.egress(from, party, 53, 'UDP');
    if (decision.allowed) return { ok: true };
    const names = decision.policies.map((p) => p.key).join(', ');
    return {
      ok: false,
      reason: `the lookup times out: Pod ${from.key} is isolated for egress by NetworkPolicy ${names}, and no egress rule allows UDP 53 to cluster DNS (pods k8s-app=kube-dns in kube-system)`,
    };
  }

  private virtualCoreDns(): PodEntry {
    this.index.namespace('kube-system');
    return {
      index: this.index.pods.length,
      pod: { metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } } },
      namespace: 'kube-system',
      name: 'coredns',
      key: 'kube-system/coredns',
      labels: { 'k8s-app': 'kube-dns' },
      hostNetwork: false,
      running: true,
    };
  }
}

/** Indexes a cluster state once; queries on the result are cheap. Throws INVALID_INPUT for invalid policies. */
export function buildNetModel(state: ClusterState, options?: NetworkOptions): IndexedNetModel {
  return new IndexedNetModel(state, options);
}

const HEADLINES: Record<Verdict, string> = {
  connected: 'Connected',
  refused: 'Connection refused',
  blocked: 'Connection times out (packets are dropped)',
  unreachable: 'No route',
  nxdomain: 'The name does not resolve',
};

/** A reach result in a learner's words: what they would observe, then the first broken link. */
export function explain(result: ReachResult): string {
  return `${HEADLINES[result.verdict]}: ${result.reason}.`;
}
