import { Diagnoser, describeFailure } from '../diagnosis/diagnose';
import type { CheckOutcome } from '../grade/grade-report';
import { clip, httpCommand, networkTimeoutSeconds, parseHttp } from '../probes/probe-commands';
import type { CheckContext, CheckOf } from './check-context';
import { probeUnavailable, withNotes } from './traffic-outcome';

/** `http`: a request from a pod with the source's identity gets the expected status/body, or none (`blocked`). */
export async function runHttpCheck(check: CheckOf<'http'>, ctx: CheckContext): Promise<CheckOutcome> {
  const probe = await ctx.probes.get(check.from);
  if (!probe.ok) return probeUnavailable(probe, check.from, ctx, (d) => reachOf(d, check.url));
  const seconds = networkTimeoutSeconds(ctx.timeoutMs);
  const result = await ctx.client.exec(
    probe.namespace,
    probe.pod,
    probe.container,
    httpCommand(check.url, seconds, ctx.connectTimeoutMs, check.headers, check.insecure),
    ctx.timeoutMs,
  );
  const seen = parseHttp(result);
  const request = `GET ${check.url}${Object.entries(check.headers ?? {})
    .map(([k, v]) => ` (${k}: ${v})`)
    .join('')}`;
  const observed =
    seen.kind === 'response'
      ? `${request} → HTTP ${seen.status}, body "${clip(seen.body, 80)}"`
      : `${request} → no answer (${seen.outcome}): ${seen.message}`;

  let pass: boolean;
  if (check.expect === 'blocked') {
    pass = seen.kind === 'failure' && seen.outcome === 'blocked';
  } else {
    const { status, bodyIncludes } = check.expect;
    pass =
      seen.kind === 'response' &&
      (status === undefined || seen.status === status) &&
      (bodyIncludes === undefined || seen.body.includes(bodyIncludes));
  }
  const evidence = withNotes(observed, probe.notes);
  if (pass) return { status: 'pass', evidence };

  const diagnoser = new Diagnoser(await ctx.snapshots.get(), check.from, probe.pod);
  const path = reachOf(diagnoser, check.url);
  let diagnosis: string;
  if (check.expect === 'blocked') {
    diagnosis = path.allowed
      ? `this traffic should be blocked but nothing blocks it: ${path.reason}`
      : `expected the connection to time out (dropped), but ${seen.kind === 'response' ? `it got HTTP ${seen.status}` : `it was ${seen.outcome}`}: ${describeFailure(path)}`;
  } else if (!path.allowed) {
    diagnosis = describeFailure(path);
  } else if (seen.kind === 'response') {
    diagnosis = `the path works (${path.reason}), but the answer is not the expected one: got HTTP ${seen.status} ("${clip(seen.body.trim(), 60)}"), expected ${expectation(check.expect)}`;
  } else {
    diagnosis = diagnoser.unexplained(
      path,
      `the request failed: ${seen.message}`,
      seen.outcome === 'blocked' || seen.outcome === 'unreachable',
    );
  }
  return { status: 'fail', evidence, diagnosis, path: path.path };
}

function reachOf(diagnoser: Diagnoser, url: string) {
  const { host, port } = hostPortOf(url);
  return diagnoser.reach(host, port);
}

/** Host and port of an http(s) URL, with the scheme's default port. */
export function hostPortOf(url: string): { host: string; port: number } {
  const u = new URL(url);
  const port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  return { host: u.hostname.replace(/^\[|\]$/g, ''), port };
}

function expectation(expect: { status?: number; bodyIncludes?: string }): string {
  const parts = [];
  if (expect.status !== undefined) parts.push(`HTTP ${expect.status}`);
  if (expect.bodyIncludes !== undefined) parts.push(`a body containing "${expect.bodyIncludes}"`);
  return parts.join(' with ') || 'any answer';
}
