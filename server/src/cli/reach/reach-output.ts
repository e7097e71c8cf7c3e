import { styleText } from 'node:util';
import { explain, type ReachMatrix, type ReachQuery, type ReachResult } from '@netlab/grader/netmodel';

/** The query as a user typed it: `shop/client → web:80/TCP`. */
export function describeQuery(q: ReachQuery): string {
  const from = 'pod' in q.from ? `${q.from.pod.namespace}/${q.from.pod.name}` : q.from.ip;
  const to =
    'pod' in q.to
      ? `${q.to.pod.namespace}/${q.to.pod.name}`
      : 'service' in q.to
        ? `svc/${q.to.service.namespace}/${q.to.service.name}`
        : 'dns' in q.to
          ? q.to.dns
          : q.to.ip;
  return `${from} → ${to}:${q.port}/${q.protocol ?? 'TCP'}`;
}

/** The verdict, then the path link by link, then the explanation. */
export function formatHuman(q: ReachQuery, r: ReachResult): string {
  const mark = r.allowed ? styleText('green', '✓') : styleText('red', '✗');
  const width = Math.max(0, ...r.path.map((l) => l.step.length));
  const lines = [`${mark} ${r.verdict}: ${describeQuery(q)}`];
  for (const link of r.path) {
    const ok = link.ok ? styleText('green', '✓') : styleText('red', '✗');
    lines.push(`  ${ok} ${link.step.padEnd(width)}  ${link.detail}`);
  }
  lines.push(explain(r));
  return lines.join('\n');
}

/** The `--json` shape: `{"allowed","verdict","path","reason"}` (plus the backend when there is one). */
export function toJson(r: ReachResult): Record<string, unknown> {
  return {
    allowed: r.allowed,
    verdict: r.verdict,
    path: r.path,
    reason: r.reason,
    ...(r.backend ? { backend: r.backend } : {}),
    ...(r.backends ? { backends: r.backends } : {}),
  };
}

/** A truth table as the Kubernetes NetworkPolicy e2e suite prints it: `.` connects, `X` does not. */
export function formatMatrix(m: ReachMatrix): string {
  const names = (list: ReachMatrix['sources']) => list.map((p) => `${p.namespace}/${p.name}`);
  const lines = [['-', ...names(m.destinations)].join('\t')];
  names(m.sources).forEach((from, i) => {
    lines.push([from, ...m.verdicts[i]!.map((v) => (v === 'connected' ? '.' : 'X'))].join('\t'));
  });
  const counts = new Map<string, number>();
  for (const row of m.verdicts) for (const v of row) counts.set(v, (counts.get(v) ?? 0) + 1);
  const summary = [...counts.entries()].map(([v, n]) => `${n} ${v}`).join(', ');
  lines.push(
    `(${m.protocol} ${m.port}; rows are sources, columns destinations; . = connected, X = not: ${summary || 'no pods'})`,
  );
  return lines.join('\n');
}
