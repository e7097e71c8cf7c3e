import type { KubeConfig } from '@kubernetes/client-node';
import type { LoadedLab } from '@netlab/labs';
import type { GradeReport } from './grade-report';
import type { GradeOptions } from './grade-options';
import { GradeSession } from './grade-session';

/** How {@link gradeUntil} waits for a cluster to converge. */
export interface ConvergeOptions extends Omit<GradeOptions, 'stableTimeoutMs'> {
  /** Whether a grade shows the state the cluster should reach (e.g. "every check passes"). */
  accept: (report: GradeReport) => boolean;
  /** Give up after this long (ms) and return the last grade (default 30 s). */
  timeoutMs?: number;
  /** Every grade over at least this long (ms) must be accepted before it counts (default 0). */
  stableForMs?: number;
  /** Pause between grades (ms; default 250). */
  pollMs?: number;
}

/** The outcome of {@link gradeUntil}. */
export interface ConvergedGrade {
  /** The last grade made. */
  report: GradeReport;
  /** True when grades were accepted for the whole window before the timeout. */
  converged: boolean;
  /** When converged: ms from the start to the first grade of the accepted run (how long convergence took). */
  convergedAfterMs?: number;
  /** How long (ms) the accepted state had held when this returned. */
  heldForMs: number;
  /** Grades made in all. */
  grades: number;
  durationMs: number;
}

/**
 * Grades a lab again and again until the grades show the state `accept` looks for and keep showing
 * it for `stableForMs`, or `timeoutMs` passes. Nothing is assumed about how fast a cluster applies
 * a change: a Service patch reaches kube-proxy's rules, a new pod its endpoints, a deleted pod its
 * end, each a moment later. Probe pods are started once and deleted before this returns.
 */
export async function gradeUntil(
  cluster: KubeConfig,
  lab: LoadedLab,
  options: ConvergeOptions,
): Promise<ConvergedGrade> {
  const { accept, timeoutMs = 30_000, stableForMs = 0, pollMs = 250, ...grading } = options;
  const session = new GradeSession(cluster, lab, { ...grading, stableForMs: 0 });
  const started = performance.now();
  let grades = 0;
  let since: number | undefined;
  try {
    for (;;) {
      const at = performance.now();
      const report = await session.grade();
      grades++;
      since = accept(report) ? (since ?? at) : undefined;
      const held = since === undefined ? 0 : at - since;
      const elapsed = performance.now() - started;
      const result = (converged: boolean): ConvergedGrade => ({
        report,
        converged,
        ...(converged ? { convergedAfterMs: Math.round(since! - started) } : {}),
        heldForMs: Math.round(held),
        grades,
        durationMs: Math.round(elapsed),
      });
      if (since !== undefined && held >= stableForMs) return result(true);
      // An accepted state that appeared just before the timeout gets its window to prove it holds.
      if (elapsed >= timeoutMs + (since === undefined ? 0 : stableForMs)) return result(false);
      await new Promise((r) => setTimeout(r, pollMs));
    }
  } finally {
    await session.dispose();
  }
}
