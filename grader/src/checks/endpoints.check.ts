import type { V1EndpointSlice } from '@kubernetes/client-node';
import { Diagnoser, describeFailure } from '../diagnosis/diagnose';
import type { CheckOutcome } from '../grade/grade-report';
import type { CheckContext, CheckOf } from './check-context';

/** `endpoints`: the Service has at least `minReady` ready endpoints (from its EndpointSlices). */
export async function runEndpointsCheck(
  check: CheckOf<'endpoints'>,
  ctx: CheckContext,
): Promise<CheckOutcome> {
  const { namespace, name } = check.service;
  const service = await ctx.client.readObject({ apiVersion: 'v1', kind: 'Service', namespace, name });
  if (!service) {
    return {
      status: 'fail',
      evidence: `Service ${namespace}/${name} does not exist`,
      diagnosis: `there is no Service ${name} in namespace ${namespace}`,
    };
  }
  const slices = (await ctx.client.listEndpointSlices(namespace)).filter(
    (s) => s.metadata?.labels?.['kubernetes.io/service-name'] === name,
  );
  const { ready, notReady } = countEndpoints(slices);
  const evidence = `Service ${namespace}/${name} has ${ready.length} ready endpoint${ready.length === 1 ? '' : 's'}${ready.length ? ` (${ready.join(', ')})` : ''}${notReady.length ? ` and ${notReady.length} not ready (${notReady.join(', ')})` : ''}`;
  if (ready.length >= check.minReady) return { status: 'pass', evidence };

  const path = new Diagnoser(await ctx.snapshots.get()).service(namespace, name);
  const diagnosis =
    path && !path.allowed
      ? describeFailure(path)
      : `Service ${namespace}/${name} has ${ready.length} ready endpoint${ready.length === 1 ? '' : 's'}, fewer than the ${check.minReady} expected`;
  return { status: 'fail', evidence, diagnosis, ...(path ? { path: path.path } : {}) };
}

/** Ready and not-ready endpoint addresses across slices, each address once (`ip:port`-less: one per pod). */
export function countEndpoints(slices: V1EndpointSlice[]): { ready: string[]; notReady: string[] } {
  const ready = new Set<string>();
  const notReady = new Set<string>();
  for (const slice of slices) {
    if (!slice.ports?.length && slice.endpoints?.length) continue; // a slice without ports carries no traffic
    for (const ep of slice.endpoints ?? []) {
      const label = ep.targetRef?.name ? `${ep.targetRef.name} ${ep.addresses[0]}` : ep.addresses[0]!;
      if (ep.conditions?.ready === false) notReady.add(label);
      else ready.add(label);
    }
  }
  for (const r of ready) notReady.delete(r);
  return { ready: [...ready], notReady: [...notReady] };
}
