import { Diagnoser, describeFailure } from '../diagnosis/diagnose';
import type { CheckOutcome } from '../grade/grade-report';
import { networkTimeoutSeconds, parseTcp, tcpCommand } from '../probes/probe-commands';
import type { CheckContext, CheckOf } from './check-context';
import { probeUnavailable, withNotes } from './traffic-outcome';

/** `tcp`: a connection from a pod with the source's identity is connected, refused or blocked. */
export async function runTcpCheck(check: CheckOf<'tcp'>, ctx: CheckContext): Promise<CheckOutcome> {
  const probe = await ctx.probes.get(check.from);
  if (!probe.ok) return probeUnavailable(probe, check.from, ctx, (d) => d.reach(check.host, check.port));
  const seconds = networkTimeoutSeconds(ctx.timeoutMs);
  const command = tcpCommand(check.host, check.port, seconds);
  const seen = parseTcp(
    await ctx.client.exec(probe.namespace, probe.pod, probe.container, command, ctx.timeoutMs),
  );
  const evidence = withNotes(
    `connect ${check.host}:${check.port} → ${seen.outcome} (${seen.message})`,
    probe.notes,
  );
  if (seen.outcome === check.expect) return { status: 'pass', evidence };

  const diagnoser = new Diagnoser(await ctx.snapshots.get(), check.from, probe.pod);
  const path = diagnoser.reach(check.host, check.port);
  const diagnosis =
    check.expect === 'connected'
      ? path.allowed
        ? diagnoser.unexplained(
            path,
            `the connection was ${seen.outcome}`,
            seen.outcome === 'blocked' || seen.outcome === 'unreachable',
          )
        : describeFailure(path)
      : path.allowed
        ? `expected ${check.expect}, but the connection succeeded: ${path.reason}`
        : `expected ${check.expect}, but it was ${seen.outcome}: ${describeFailure(path)}`;
  return { status: 'fail', evidence, diagnosis, path: path.path };
}
