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
  { kind: 'taint'; taint: V1Taint } | { kind: 'affinity' } | { kind: 'unschedulable' } | { kind: 'nodeName' };

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
 * nodeSelector and required node affinity. (Resources are not modelled: the sim's nodes are large.)
 */
export function nodeFitsPod(
  node: V1Node,
  pod: V1Pod,
  options: { ignoreNodeName?: boolean } = {},
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
  return { fits: true };
}

/** `0/3 nodes are available: 1 node(s) had untolerated taint {...}, 2 node(s) didn't match ...`. */
export function unschedulableMessage(failures: FitFailure[], total: number): string {
  const counts = new Map<string, number>();
  for (const f of failures) {
    let reason: string;
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
  return total === 0
    ? head
    : `${head} preemption: 0/${total} nodes are available: ${total} Preemption is not helpful for scheduling.`;
}
