import type { V1Node } from '@kubernetes/client-node';
import type { Source } from '@netlab/labs';
import { Diagnoser, describeFailure } from '../diagnosis/diagnose';
import type { CheckOutcome } from '../grade/grade-report';
import type { ReachResult } from '../netmodel';
import type { Probe } from '../probes/probe-pool';
import type { CheckContext } from './check-context';

/** Evidence followed by the probe's notes (e.g. a Service that selects the probe's labels). */
export function withNotes(evidence: string, notes: string[]): string {
  return [evidence, ...notes].join('; ');
}

/**
 * The outcome of a traffic check whose probe could not run. A pod that cannot start is what a
 * broken cluster looks like (no CNI, nodes NotReady), so that is a failure with a diagnosis; a
 * probe image that cannot be pulled is the grader's own problem, so that is an error.
 */
export async function probeUnavailable(
  probe: Extract<Probe, { ok: false }>,
  source: Source,
  ctx: CheckContext,
  reach: (d: Diagnoser) => ReachResult,
): Promise<CheckOutcome> {
  const evidence = withNotes(probe.reason, probe.notes);
  if (/ErrImagePull|ImagePullBackOff|InvalidImageName/.test(probe.reason)) {
    return {
      status: 'error',
      evidence: `${evidence} — the probe image cannot be pulled here; pass an image map (--image-map) or preload the image`,
    };
  }
  const snapshot = await ctx.snapshots.get();
  const nodes = notReadyNodes(snapshot.state.nodes);
  if (nodes.length) return { status: 'fail', evidence, diagnosis: describeNotReady(nodes) };
  const path = reach(new Diagnoser(snapshot, source));
  return { status: 'fail', evidence, diagnosis: path.allowed ? probe.reason : describeFailure(path) };
}

/** Nodes whose Ready condition is not True. */
export function notReadyNodes(nodes: V1Node[]): V1Node[] {
  return nodes.filter((n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status !== 'True');
}

/** Why nodes are not Ready, in the kubelet's words (e.g. "container runtime network not ready ... cni plugin not initialized"). */
export function describeNotReady(nodes: V1Node[]): string {
  const first = nodes[0];
  const ready = first?.status?.conditions?.find((c) => c.type === 'Ready');
  const names = nodes.map((n) => n.metadata?.name).join(', ');
  const why = ready?.message ? `: ${ready.message}` : ready?.reason ? `: ${ready.reason}` : '';
  const cni = /network|cni/i.test(`${ready?.message} ${ready?.reason}`)
    ? ' No CNI plugin is installed, so the kubelet cannot give pods a network and keeps the node NotReady.'
    : '';
  return `${nodes.length === 1 ? 'node' : 'nodes'} ${names} ${nodes.length === 1 ? 'is' : 'are'} NotReady${why}.${cni}`;
}
