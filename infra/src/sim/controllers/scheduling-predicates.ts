import type {
  V1Node,
  V1NodeSelectorRequirement,
  V1NodeSelectorTerm,
  V1Pod,
  V1Taint,
  V1Toleration,
} from '@kubernetes/client-node';

/** Why a node was filtered out, in the words of the scheduler's FailedScheduling message. */
export type FitFailure =
  | { kind: 'taint'; taint: V1Taint }
  | { kind: 'affinity' }
  | { kind: 'unschedulable' }
  | { kind: 'nodeName' }
  | { kind: 'resources'; insufficient: ('cpu' | 'memory')[] };

/** CPU in millicores and memory in bytes. */
export interface Resources {
  cpu: number;
  memory: number;
}

const SUFFIX: Record<string, number> = {
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  m: 1e-3,
};

/** A resource.Quantity as a number (`500m` → 0.5, `128Mi` → 134217728). */
export function parseQuantity(q: string | number | undefined): number {
  if (q === undefined) return 0;
  if (typeof q === 'number') return q;
  const m = /^([0-9.]+)([A-Za-z]*)$/.exec(q.trim());
  if (!m) return 0;
  return Number(m[1]) * (SUFFIX[m[2]!] ?? 1);
}

/** What a pod requests: the sum of its containers, or the largest init container if bigger. */
export function podRequests(pod: V1Pod): Resources {
  const sum = (
    cs: { resources?: { requests?: Record<string, string>; limits?: Record<string, string> } }[],
  ) =>
    cs.reduce(
      (acc, c) => {
        // A limit without a request defaults the request to the limit.
        const r = { ...(c.resources?.limits ?? {}), ...(c.resources?.requests ?? {}) };
        return { cpu: acc.cpu + parseQuantity(r.cpu) * 1000, memory: acc.memory + parseQuantity(r.memory) };
      },
      { cpu: 0, memory: 0 },
    );
  const main = sum((pod.spec?.containers ?? []) as never);
  for (const c of pod.spec?.initContainers ?? []) {
    const one = sum([c] as never);
    main.cpu = Math.max(main.cpu, one.cpu);
    main.memory = Math.max(main.memory, one.memory);
  }
  return main;
}

/** Whether a toleration tolerates a taint (v1helper.TolerationsTolerateTaint). */
export function tolerates(t: V1Toleration, taint: V1Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.operator === 'Exists') return !t.key || t.key === taint.key;
  return t.key === taint.key && (t.value ?? '') === (taint.value ?? '');
}

function matchRequirement(values: Record<string, string>, r: V1NodeSelectorRequirement): boolean {
  const v = values[r.key];
  switch (r.operator) {
    case 'In':
      return v !== undefined && (r.values ?? []).includes(v);
    case 'NotIn':
      return v === undefined || !(r.values ?? []).includes(v);
    case 'Exists':
      return v !== undefined;
    case 'DoesNotExist':
      return v === undefined;
    case 'Gt':
      return v !== undefined && Number(v) > Number(r.values?.[0]);
    case 'Lt':
      return v !== undefined && Number(v) < Number(r.values?.[0]);
    default:
      return false;
  }
}

function termMatches(node: V1Node, term: V1NodeSelectorTerm): boolean {
  const labels = node.metadata?.labels ?? {};
  const fields = { 'metadata.name': node.metadata?.name ?? '' };
  const exprs = term.matchExpressions ?? [];
  const mf = term.matchFields ?? [];
  if (exprs.length === 0 && mf.length === 0) return false;
  return exprs.every((r) => matchRequirement(labels, r)) && mf.every((r) => matchRequirement(fields, r));
}

/**
 * The scheduler's filters for one node: spec.nodeName, unschedulable, NoSchedule/NoExecute taints,
 * nodeSelector, required node affinity, then requested CPU/memory against the node's allocatable.
 */
export function nodeFitsPod(
  node: V1Node,
  pod: V1Pod,
  options: { ignoreNodeName?: boolean; used?: Resources } = {},
): { fits: boolean; failure?: FitFailure } {
  const spec = pod.spec;
  if (!options.ignoreNodeName && spec?.nodeName && spec.nodeName !== node.metadata?.name)
    return { fits: false, failure: { kind: 'nodeName' } };
  const tolerations = spec?.tolerations ?? [];
  if (
    node.spec?.unschedulable &&
    !tolerations.some((t) => tolerates(t, { key: 'node.kubernetes.io/unschedulable', effect: 'NoSchedule' }))
  ) {
    return { fits: false, failure: { kind: 'unschedulable' } };
  }
  for (const taint of node.spec?.taints ?? []) {
    if (taint.effect === 'PreferNoSchedule') continue;
    if (!tolerations.some((t) => tolerates(t, taint)))
      return { fits: false, failure: { kind: 'taint', taint } };
  }
  const labels = node.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(spec?.nodeSelector ?? {})) {
    if (labels[k] !== v) return { fits: false, failure: { kind: 'affinity' } };
  }
  const required = spec?.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution;
  if (required && !required.nodeSelectorTerms.some((t) => termMatches(node, t))) {
    return { fits: false, failure: { kind: 'affinity' } };
  }
  if (options.used) {
    const want = podRequests(pod);
    const allocatable = node.status?.allocatable ?? {};
    const insufficient: ('cpu' | 'memory')[] = [];
    if (want.cpu > 0 && options.used.cpu + want.cpu > parseQuantity(allocatable.cpu) * 1000)
      insufficient.push('cpu');
    if (want.memory > 0 && options.used.memory + want.memory > parseQuantity(allocatable.memory))
      insufficient.push('memory');
    if (insufficient.length > 0) return { fits: false, failure: { kind: 'resources', insufficient } };
  }
  return { fits: true };
}

/** `0/3 nodes are available: 1 node(s) had untolerated taint {...}, 2 node(s) didn't match ...`. */
export function unschedulableMessage(failures: FitFailure[], total: number): string {
  const counts = new Map<string, number>();
  let resourceNodes = 0;
  for (const f of failures) {
    let reason: string;
    if (f.kind === 'resources') {
      resourceNodes++;
      for (const r of f.insufficient)
        counts.set(`Insufficient ${r}`, (counts.get(`Insufficient ${r}`) ?? 0) + 1);
      continue;
    }
    switch (f.kind) {
      case 'taint':
        reason = `node(s) had untolerated taint {${f.taint.key}: ${f.taint.value ?? ''}}`;
        break;
      case 'affinity':
        reason = "node(s) didn't match Node's node affinity/selector";
        break;
      case 'unschedulable':
        reason = 'node(s) were unschedulable';
        break;
      default:
        reason = "node(s) didn't match the requested node name";
    }
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  const parts = [...counts.entries()].map(([r, n]) => `${n} ${r}`).sort();
  const head =
    total === 0
      ? 'no nodes available to schedule pods'
      : `0/${total} nodes are available: ${parts.join(', ')}.`;
  if (total === 0) return head;
  const notHelpful = total - resourceNodes;
  const preemption = [
    ...(notHelpful > 0 ? [`${notHelpful} Preemption is not helpful for scheduling`] : []),
    ...(resourceNodes > 0 ? [`${resourceNodes} No preemption victims found for incoming pod`] : []),
  ];
  return `${head} preemption: 0/${total} nodes are available: ${preemption.join(', ')}.`;
}
