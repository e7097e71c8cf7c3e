import type { V1Pod } from '@kubernetes/client-node';
import type { CheckOutcome } from '../grade/grade-report';
import { PROBE_LABEL } from '../probes/probe-pool';
import type { CheckContext, CheckOf } from './check-context';
import { describeNotReady, notReadyNodes } from './traffic-outcome';

/** `pods-ready`: at least `minReady` pods with these labels in the namespace are Ready (probe pods never count). */
export async function runPodsReadyCheck(
  check: CheckOf<'pods-ready'>,
  ctx: CheckContext,
): Promise<CheckOutcome> {
  const selector = Object.entries(check.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const pods = (await ctx.client.listPods(check.namespace, selector)).filter(
    (p) => !p.metadata?.labels?.[PROBE_LABEL] && !p.metadata?.deletionTimestamp,
  );
  const ready = pods.filter(isReady);
  const others = pods.filter((p) => !isReady(p));
  const evidence = `${ready.length} of ${pods.length} pod${pods.length === 1 ? '' : 's'} with ${selector || 'any labels'} in ${check.namespace} Ready${others.length ? `; not ready: ${others.map(podState).join(', ')}` : ''}`;
  if (ready.length >= check.minReady) return { status: 'pass', evidence };
  return { status: 'fail', evidence, diagnosis: await diagnose(others, check, ctx) };
}

async function diagnose(others: V1Pod[], check: CheckOf<'pods-ready'>, ctx: CheckContext): Promise<string> {
  if (!others.length)
    return `no pod in namespace ${check.namespace} carries the labels ${JSON.stringify(check.labels)}`;
  const nodes = notReadyNodes(await ctx.client.listNodes());
  const pod = others[0]!;
  const events = await ctx.client
    .listEvents(check.namespace, `involvedObject.name=${pod.metadata?.name}`)
    .catch(() => []);
  const warning = events.filter((e) => e.type === 'Warning').at(-1);
  const podWhy = `pod ${pod.metadata?.name} is ${podState(pod).split(' ').slice(1).join(' ')}${warning ? ` (${warning.reason}: ${warning.message})` : ''}`;
  return nodes.length ? `${podWhy}; ${describeNotReady(nodes)}` : podWhy;
}

function isReady(pod: V1Pod): boolean {
  return pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}

function podState(pod: V1Pod): string {
  const waiting = pod.status?.containerStatuses?.find((c) => c.state?.waiting)?.state?.waiting?.reason;
  const pending =
    pod.status?.phase === 'Pending' && !pod.status.containerStatuses?.length && pod.spec?.nodeName
      ? 'ContainerCreating'
      : undefined;
  return `${pod.metadata?.name} ${waiting ?? pending ?? pod.status?.phase ?? 'Unknown'}`;
}
