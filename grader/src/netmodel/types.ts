// The contract of the Kubernetes networking model. Both the grader (diagnosis) and the sim
// (dataplane, in infra) build on it, so change it deliberately and keep both sides compiling.
import type {
  V1EndpointSlice,
  V1Namespace,
  V1NetworkPolicy,
  V1Node,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';

/** Transport protocols a Service or NetworkPolicy can name. */
export type Protocol = 'TCP' | 'UDP' | 'SCTP';

/** Everything the model reasons over: ordinary Kubernetes objects as the API returns them. */
export interface ClusterState {
  namespaces: V1Namespace[];
  pods: V1Pod[];
  services: V1Service[];
  /** When absent, computed from Pods as the EndpointSlice controller would. */
  endpointSlices?: V1EndpointSlice[];
  networkPolicies: V1NetworkPolicy[];
  nodes: V1Node[];
}

/** Something that really accepts connections in a pod: a declared containerPort is not proof. */
export interface Listener {
  namespace: string;
  pod: string;
  container?: string;
  /** `0.0.0.0` / `::` (all addresses), `127.0.0.1` / `::1` (loopback only) or one specific IP. */
  address: string;
  port: number;
  protocol: Protocol;
}

/** How the model decides whether a destination app listens. */
export type ListenerMode =
  /** Every destination listens on every port (`netlab reach --policy-only`). */
  | { mode: 'any' }
  /** Declared containerPorts listen on all addresses, except pods named in `hints`, which listen only there. */
  | { mode: 'declared'; hints?: Listener[] }
  /** Only these listeners exist (the sim knows exactly what each app listens on). */
  | { mode: 'exact'; listeners: Listener[] };

/** Cluster-wide facts that are not objects. */
export interface NetworkOptions {
  /** Default `cluster.local`. */
  clusterDomain?: string;
  /** Whether the CNI enforces NetworkPolicy (default true). */
  policyEnforced?: boolean;
  /** Whether cluster DNS answers (CoreDNS running with ready endpoints); default true. */
  dnsAvailable?: boolean;
  /** Whether kube-proxy (or a replacement) programs Service VIPs and NodePorts; default true. */
  serviceProxy?: boolean;
  /** Default `{ mode: 'declared' }`. */
  listeners?: ListenerMode;
}

/** Where a connection starts: a pod, or an IP outside the cluster's pods (e.g. a node or the internet). */
export type Source = { pod: { namespace: string; name: string } } | { ip: string };

/** Where a connection goes. */
export type Destination =
  | { pod: { namespace: string; name: string } }
  | { ip: string }
  | { service: { namespace: string; name: string } }
  /** A DNS name resolved from the source pod's namespace, as its resolv.conf would. */
  | { dns: string };

/** One question: can `from` open a connection to `to` on `port`? */
export interface ReachQuery {
  from: Source;
  to: Destination;
  /** A number, or a port name (a Service port name for Services, a container port name for pods). */
  port: number | string;
  /** Default TCP. */
  protocol?: Protocol;
}

/** What the source would observe. */
export type Verdict =
  /** The handshake succeeds: something listens and nothing drops the packets. */
  | 'connected'
  /** Actively refused: nothing listens on that address and port, or a Service has no endpoints. */
  | 'refused'
  /** Silently dropped (NetworkPolicy): the client times out. */
  | 'blocked'
  /** No route: no pod IP (no CNI), a pod not running, an unknown IP. */
  | 'unreachable'
  /** The name does not resolve. */
  | 'nxdomain';

/** The links of the path, in the order traffic meets them. */
export type PathStep =
  'dns' | 'service' | 'endpoints' | 'target-port' | 'route' | 'egress-policy' | 'ingress-policy' | 'listener';

/** One link of the path and whether it held. */
export interface PathLink {
  step: PathStep;
  ok: boolean;
  /** What was found, in words, naming the objects (`Service shop/web selects app=web ...`). */
  detail: string;
}

/** The answer to a {@link ReachQuery}. */
export interface ReachResult {
  allowed: boolean;
  verdict: Verdict;
  path: PathLink[];
  /** For a failed reach: the first broken link in words a learner understands; for a success, a summary. */
  reason: string;
  /** The pod and port the connection ended on (after Service translation), when one was chosen. */
  backend?: { namespace: string; pod: string; ip: string; port: number };
  /**
   * For a Service: every endpoint kube-proxy could pick and what a connection to it would get
   * (`namespace`/`pod` are empty for an endpoint that is not a Pod). The verdict above is the first
   * failing one, so a lab with one broken replica fails; a dataplane may pick one at random instead.
   */
  backends?: Array<{ namespace: string; pod: string; ip: string; port: number; verdict: Verdict }>;
}

/** A DNS record as CoreDNS would answer it. */
export interface DnsRecord {
  type: 'A' | 'AAAA' | 'CNAME' | 'SRV' | 'PTR';
  name: string;
  value: string;
}

/** The answer to a DNS query from a pod. */
export interface DnsAnswer {
  /** The name as asked. */
  query: string;
  rcode: 'NOERROR' | 'NXDOMAIN' | 'SERVFAIL';
  /** The fully-qualified name that matched (after the search path), when one did. */
  fqdn?: string;
  records: DnsRecord[];
  /** Why, in words, when it did not resolve. */
  reason?: string;
}

/** The model of one cluster state, indexed once; queries are cheap. */
export interface NetModel {
  resolve(name: string, from?: Source): DnsAnswer;
  reach(query: ReachQuery): ReachResult;
}
