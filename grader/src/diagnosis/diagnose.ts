import type { V1Pod } from '@kubernetes/client-node';
import type { Source } from '@netlab/labs';
import { buildNetModel, explain } from '../netmodel';
import type { ClusterState, DnsAnswer, NetModel, ReachResult } from '../netmodel';
import type { ClusterSnapshot } from './cluster-snapshot';
import { PROBE_LABEL } from '../probes/probe-pool';
import { listenerHints } from './listener-hints';

const STAND_IN = 'netlab-diagnosis-source';

/** Asks the networking model about paths, from the identity a check names. */
export class Diagnoser {
  private model?: NetModel;
  private readonly state: ClusterState;

  /** `probePod` is the probe that ran as `source`, when one did; otherwise a stand-in pod is imagined. */
  constructor(
    private readonly snapshot: ClusterSnapshot,
    private readonly source?: Source,
    private readonly probePod?: string,
  ) {
    this.state = withSource(snapshot.state, source, probePod);
  }

  /** Why `host:port` is or is not reachable from the source. */
  reach(host: string, port: number): ReachResult {
    const to = /^\d+\.\d+\.\d+\.\d+$/.test(host) ? { ip: host } : { dns: host };
    return this.netModel().reach({ from: this.from(), to, port });
  }

  /** Why a name does or does not resolve from the source's namespace. */
  resolve(name: string): DnsAnswer {
    return this.netModel().resolve(name, this.from());
  }

  /** Why a Service does or does not lead anywhere, on its first port. */
  service(namespace: string, name: string): ReachResult | undefined {
    const svc = this.state.services.find(
      (s) => s.metadata?.namespace === namespace && s.metadata.name === name,
    );
    const port = svc?.spec?.ports?.[0];
    if (!svc || !port) return undefined;
    const node = this.state.nodes[0]?.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
    return this.netModel().reach({
      from: this.source ? this.from() : { ip: node ?? '192.0.2.1' },
      to: { service: { namespace, name } },
      port: port.port,
      protocol: (port.protocol as 'TCP' | 'UDP' | 'SCTP' | undefined) ?? 'TCP',
    });
  }

  /**
   * The diagnosis when the model finds `result`'s path open yet the traffic failed with `failure`
   * ("the request failed: …", "the connection was blocked"). Packets lost between Pods on two nodes
   * (a timeout, no route) point below the objects, at the Pod network between those nodes;
   * otherwise it says where the ends ran, and through a Service, that kube-proxy on the source's
   * node does the translation.
   */
  unexplained(result: ReachResult, failure: string, lost: boolean): string {
    const open = `the networking model finds the path open (${result.reason}), yet ${failure}`;
    const from = this.podNode(this.source?.namespace ?? 'default', this.probePod ?? STAND_IN);
    const to = result.backend && this.podNode(result.backend.namespace, result.backend.pod);
    if (!from || !to || !result.backend) return open;
    const backend = `${result.backend.namespace}/${result.backend.pod}`;
    // Through a Service, kube-proxy on the source's node translates the address first.
    const viaService = result.path.some((l) => l.step === 'service');
    const proxy = viaService
      ? `; kube-proxy on ${from} translates the Service address: is it running there (kubectl -n kube-system get pods -o wide)?`
      : '';
    if (from === to) return `${open}. Both ends run on node ${from}${proxy}`;
    if (!lost) return `${open}. The source runs on node ${from}, ${backend} on node ${to}${proxy}`;
    const agents = viaService
      ? 'are kube-proxy (it translates the Service address) and the CNI agent'
      : 'is the CNI agent';
    return (
      `${open}. No Kubernetes object blocks it, and the traffic crosses nodes: from node ${from} to ` +
      `${backend} on node ${to}. Look below the objects, at the nodes and the Pod network between them: ` +
      `${agents} running on both (kubectl -n kube-system get pods -o wide), and does a Pod on ` +
      `${from} reach a Pod IP on ${to}?`
    );
  }

  private podNode(namespace: string, name: string): string | undefined {
    return this.state.pods.find((p) => p.metadata?.namespace === namespace && p.metadata.name === name)?.spec
      ?.nodeName;
  }

  private from() {
    return { pod: { namespace: this.source?.namespace ?? 'default', name: this.probePod ?? STAND_IN } };
  }

  private netModel(): NetModel {
    if (!this.model)
      this.model = buildNetModel(this.state, {
        ...this.snapshot.options,
        listeners: { mode: 'declared', hints: listenerHints(this.state.pods) },
      });
    return this.model!;
  }
}

/** The state with a pod for the source: the probe if it is there, else a stand-in with its labels. */
function withSource(
  full: ClusterState,
  source: Source | undefined,
  probePod: string | undefined,
): ClusterState {
  // Other checks' probes are the grader's, not the learner's: they must not show up in a diagnosis.
  // The probe that ran as the source stays, showing only the source's labels: that is who it speaks for.
  const pods = full.pods
    .filter((p) => !p.metadata?.labels?.[PROBE_LABEL] || p.metadata.name === probePod)
    .map((p) => (p.metadata?.labels?.[PROBE_LABEL] ? withoutProbeLabel(p) : p));
  const state = { ...full, pods };
  if (!source) return state;
  const present =
    probePod &&
    state.pods.some((p) => p.metadata?.namespace === source.namespace && p.metadata?.name === probePod);
  if (present) return state;
  const node = state.nodes[0]?.metadata?.name;
  const pod: V1Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: probePod ?? STAND_IN, namespace: source.namespace, labels: { ...source.labels } },
    spec: { nodeName: node, containers: [{ name: 'probe', image: 'probe' }] },
    status: {
      phase: 'Running',
      podIP: '10.244.255.254',
      podIPs: [{ ip: '10.244.255.254' }],
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
  return { ...state, pods: [...state.pods, pod] };
}

function withoutProbeLabel(pod: V1Pod): V1Pod {
  const labels = { ...pod.metadata?.labels };
  delete labels[PROBE_LABEL];
  return { ...pod, metadata: { ...pod.metadata, labels } };
}

/** The diagnosis text for a failed path: the model's reason, with the broken link when it adds detail. */
export function describeFailure(result: ReachResult): string {
  const text = explain(result);
  const broken = result.path.find((l) => !l.ok);
  if (!broken || text.includes(broken.detail)) return text;
  return `${text} (${broken.step}: ${broken.detail})`;
}
