import type { KubeConfig } from '@kubernetes/client-node';
import { applyActions, type AppliedChange, type ObjectApi } from '@netlab/grader';
import { EXTERNAL_CLUSTER_LABEL } from '@netlab/infra';
import type { Action, LoadedLab } from '@netlab/labs';
import type { LabTiming } from './lab-actions';

/**
 * Applies a lab's actions as `applyLabActions` does (no settle wait), but the objects of
 * consecutive `apply` actions go out in parallel: Namespaces first (everything else may live in
 * them), then the rest at once, as the API server does not care in which order a Deployment and
 * its Service arrive. A `patch` or `delete` action is a barrier: it runs after everything before it.
 */
export async function applyLabActionsInParallel(
  kc: KubeConfig,
  lab: LoadedLab,
  actions: Action[],
  clusterName: string,
  timing: Pick<LabTiming, 'imageMap'>,
  api?: ObjectApi,
): Promise<AppliedChange[]> {
  const options = {
    imageMap: timing.imageMap,
    namespaceLabels: { [EXTERNAL_CLUSTER_LABEL]: clusterName },
    // One list applied in batches: a value captured in one batch fills the later ones.
    captured: {},
    ...(api ? { api } : {}),
  };
  const changes: AppliedChange[] = [];
  for (const batch of batches(actions)) {
    if (!batch.parallel) {
      changes.push(...(await applyActions(kc, lab, batch.actions, options)));
      continue;
    }
    const objects = batch.actions.flatMap((a) => ('apply' in a ? (lab.manifests[a.apply] ?? []) : []));
    const namespaces = objects.filter((o) => (o as { kind?: string }).kind === 'Namespace');
    const rest = objects.filter((o) => (o as { kind?: string }).kind !== 'Namespace');
    for (const group of [namespaces, rest]) {
      const results = await Promise.all(
        group.map((object, i) =>
          applyActions(kc, single(lab, `#${i}`, object), [{ apply: `#${i}` }], options),
        ),
      );
      changes.push(...results.flat());
    }
  }
  return changes;
}

function batches(actions: Action[]): { parallel: boolean; actions: Action[] }[] {
  const out: { parallel: boolean; actions: Action[] }[] = [];
  for (const action of actions) {
    const parallel = 'apply' in action;
    const last = out[out.length - 1];
    if (last && last.parallel && parallel) last.actions.push(action);
    else out.push({ parallel, actions: [action] });
  }
  return out;
}

/** The lab seen with one object as its only manifest, so `applyActions` applies just that object. */
function single(lab: LoadedLab, key: string, object: unknown): LoadedLab {
  return { ...lab, manifests: { [key]: [object] } } as LoadedLab;
}
