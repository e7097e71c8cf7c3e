import { Diagnoser, describeFailure } from '../diagnosis/diagnose';
import type { CheckOutcome } from '../grade/grade-report';
import { dnsCommand, parseDns } from '../probes/probe-commands';
import type { CheckContext, CheckOf } from './check-context';
import { probeUnavailable, withNotes } from './traffic-outcome';

/** `dns`: a name resolves (or does not) from a pod with the source's identity, through the cluster's DNS. */
export async function runDnsCheck(check: CheckOf<'dns'>, ctx: CheckContext): Promise<CheckOutcome> {
  const probe = await ctx.probes.get(check.from);
  if (!probe.ok) {
    return probeUnavailable(
      probe,
      check.from,
      ctx,
      (d) => d.service('kube-system', 'kube-dns') ?? d.reach(check.name, 53),
    );
  }
  // A resolver that gets no answer retries for many seconds; a few seconds of silence is the answer.
  // Not less than 3 s: on a busy machine an exec (a TLS WebSocket) alone can take over a second.
  const budgetMs = Math.min(ctx.timeoutMs, Math.max(3000, 2 * ctx.connectTimeoutMs));
  const result = await ctx.client.exec(
    probe.namespace,
    probe.pod,
    probe.container,
    dnsCommand(check.name),
    budgetMs,
  );
  const seen = parseDns(result);
  const evidence = withNotes(`nslookup ${check.name} → ${seen.outcome}: ${seen.message}`, probe.notes);
  if (seen.outcome === check.expect) return { status: 'pass', evidence };

  const diagnoser = new Diagnoser(await ctx.snapshots.get(), check.from, probe.pod);
  const answer = diagnoser.resolve(check.name);
  let diagnosis: string;
  if (seen.outcome === 'error') {
    // No answer at all: usually the DNS server is unreachable (an egress NetworkPolicy, CoreDNS down).
    const path = diagnoser.service('kube-system', 'kube-dns');
    diagnosis =
      !path || path.allowed
        ? `the DNS server did not answer: ${seen.message}`
        : `the pod cannot reach the cluster DNS server: ${describeFailure(path)}`;
  } else if (check.expect === 'resolves') {
    diagnosis = answer.reason ?? `${check.name} does not exist in the cluster DNS (${answer.rcode})`;
  } else {
    diagnosis = `${check.name} resolves${answer.fqdn ? ` as ${answer.fqdn}` : ''} to ${answer.records.map((r) => r.value).join(', ') || seen.addresses.join(', ')}, but it should not exist`;
  }
  return { status: 'fail', evidence, diagnosis };
}
