import type { KubeConfig } from '@kubernetes/client-node';
import type { LoadedLab } from '@netlab/labs';
import type { GradeReport } from './grade-report';
import type { GradeOptions } from './grade-options';
import { GradeSession } from './grade-session';

export type { GradeOptions } from './grade-options';

/**
 * Runs a lab's checks against a cluster and reports each: pass/fail/error, evidence, duration and,
 * on failure, a diagnosis. Checks run concurrently and share probe pods, which are deleted before
 * this returns. With `stableForMs`, each verdict is reported only once it has held that long. A
 * broken cluster gives failed checks; only an unreachable API or bad credentials throw a GraderError.
 */
export async function runChecks(
  cluster: KubeConfig,
  lab: LoadedLab,
  options: GradeOptions = {},
): Promise<GradeReport> {
  const session = new GradeSession(cluster, lab, options);
  try {
    return await session.grade();
  } finally {
    await session.dispose();
  }
}
