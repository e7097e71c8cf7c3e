import type { LabTestResult } from './lab-test.types';

/** The table printed after all labs: one row per lab, then the totals. */
export function summaryTable(results: LabTestResult[], wallMs?: number): string[] {
  const rows = results.map((r) => [
    r.labId,
    r.status === 'pass' ? 'PASS' : r.status === 'skip' ? 'SKIP' : 'FAIL',
    r.seed,
    String(r.bypasses),
    `${(r.durationMs / 1000).toFixed(1)}s`,
    r.status === 'skip'
      ? (r.skipReason ?? '')
      : r.deviations.length
        ? `${r.deviations.length} deviation(s): ${r.deviations[0]}`
        : '',
  ]);
  const header = ['LAB', 'RESULT', 'SEED', 'BYPASSES', 'TIME', 'NOTES'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const count = (s: LabTestResult['status']) => results.filter((r) => r.status === s).length;
  const total = wallMs ?? results.reduce((t, r) => t + r.durationMs, 0);
  return [
    line(header),
    ...rows.map(line),
    `${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped in ${(total / 1000).toFixed(1)}s`,
  ];
}
