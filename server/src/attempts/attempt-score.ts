import type { GradeReport } from '@netlab/grader';

/** What a score is made of, so the UI and the debrief can explain it. */
export interface ScoreInput {
  report: Pick<GradeReport, 'checks'>;
  hintCosts: number[];
  /** Minutes from ready to this grade. */
  minutesTaken: number;
  estimatedMinutes: number;
}

/** At most this many points are lost to time. */
export const MAX_TIME_PENALTY = 20;

/**
 * The score out of 100: the share of checks passing, minus each revealed hint's cost, minus one
 * point per tenth of the lab's estimated time spent beyond twice that estimate (at most 20), never
 * below 0.
 */
export function scoreOf(input: ScoreInput): number {
  const total = input.report.checks.length || 1;
  const passing = input.report.checks.filter((c) => c.status === 'pass').length;
  const checks = Math.round((100 * passing) / total);
  const hints = input.hintCosts.reduce((a, b) => a + b, 0);
  const over = input.minutesTaken - 2 * input.estimatedMinutes;
  const time = over > 0 ? Math.min(MAX_TIME_PENALTY, Math.floor(over / (input.estimatedMinutes / 10))) : 0;
  return Math.max(0, checks - hints - time);
}
