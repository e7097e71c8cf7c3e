import type { CheckResult, GradeReport } from '@netlab/grader';
import type { LoadedLab } from '@netlab/labs';

type Bypass = LoadedLab['definition']['bypasses'][number];

/** Deviations of a grade under the fault from each check's `afterFault`. */
export function compareAfterFault(lab: LoadedLab, report: GradeReport): string[] {
  const found: string[] = [];
  for (const check of lab.definition.checks) {
    const got = byId(report, check.id);
    if (!got) continue;
    const { result, diagnosisIncludes } = check.afterFault;
    if (got.status === 'error') {
      found.push(`${check.id}: could not run: ${got.evidence}`);
    } else if (got.status !== result) {
      found.push(`${check.id}: expected ${result} under the fault, got ${got.status} (${got.evidence})`);
    } else if (result === 'fail' && diagnosisIncludes && !got.diagnosis?.includes(diagnosisIncludes)) {
      found.push(
        `${check.id}: diagnosis should include "${diagnosisIncludes}", was "${got.diagnosis ?? '(none)'}"`,
      );
    }
  }
  return found;
}

/** Deviations of a grade after the solution: every check must pass. */
export function compareAfterSolution(report: GradeReport): string[] {
  return report.checks
    .filter((c) => c.status !== 'pass')
    .map(
      (c) =>
        `${c.id}: expected pass after the solution, got ${c.status} (${c.evidence}${c.diagnosis ? `; ${c.diagnosis}` : ''})`,
    );
}

/** Deviations after a bypass: each check in `caughtBy` must fail (an error is not a catch). */
export function compareAfterBypass(bypass: Bypass, report: GradeReport): string[] {
  return bypass.caughtBy
    .map((id) => byId(report, id))
    .filter((c): c is CheckResult => !!c && c.status !== 'fail')
    .map((c) => `${c.id}: should catch the bypass but got ${c.status} (${c.evidence})`);
}

function byId(report: GradeReport, id: string): CheckResult | undefined {
  return report.checks.find((c) => c.id === id);
}
