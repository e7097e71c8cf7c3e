import type { CheckOutcome } from '../grade/grade-report';
import type { CheckContext, CheckOf } from './check-context';
import { describeNotReady, notReadyNodes } from './traffic-outcome';

/** `nodes-ready`: every node (or at least `count`) reports Ready. */
export async function runNodesReadyCheck(
  check: CheckOf<'nodes-ready'>,
  ctx: CheckContext,
): Promise<CheckOutcome> {
  const nodes = await ctx.client.listNodes();
  const notReady = notReadyNodes(nodes);
  const readyCount = nodes.length - notReady.length;
  const evidence = `${readyCount} of ${nodes.length} node${nodes.length === 1 ? '' : 's'} Ready${notReady.length ? `; NotReady: ${notReady.map((n) => n.metadata?.name).join(', ')}` : ''}`;
  const pass =
    nodes.length > 0 && (check.count === undefined ? notReady.length === 0 : readyCount >= check.count);
  if (pass) return { status: 'pass', evidence };
  return {
    status: 'fail',
    evidence,
    diagnosis: notReady.length
      ? describeNotReady(notReady)
      : `only ${readyCount} nodes exist; ${check.count} are expected`,
  };
}
