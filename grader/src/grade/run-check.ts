import type { Check } from '@netlab/labs';
import type { CheckContext } from '../checks/check-context';
import { runCheckOnce } from '../checks/check-runners';
import { GraderError, GraderErrorCode } from '../errors';
import { stillConverging } from '../diagnosis/convergence';
import { apiMessage } from '../kube/kube-errors';
import { durationMs } from './duration';
import type { CheckOutcome, CheckResult } from './grade-report';

/** How retries are paced. */
export interface RetryOptions {
  /** Pause between attempts of a check that did not pass. */
  retryDelayMs: number;
}

/**
 * Runs a check up to 1 + `retries` times until it passes, each attempt bounded by the check's
 * timeout. A failure is retried only while the cluster is still converging (pods starting or
 * terminating, endpoints catching up): a cluster at rest would answer the same, so a learner's
 * broken cluster is graded at once. A GraderError (cluster unreachable, bad credentials) ends the grade; any other failure
 * of an attempt is reported as an `error` outcome with what went wrong.
 */
export async function runCheck(
  check: Check,
  ctx: Omit<CheckContext, 'timeoutMs'>,
  options: RetryOptions,
): Promise<CheckResult> {
  const timeoutMs = durationMs(check.timeout);
  const started = performance.now();
  let outcome: CheckOutcome = { status: 'error', evidence: 'not run' };
  let attempts = 0;
  for (let i = 0; i <= check.retries; i++) {
    attempts++;
    const tried = await attempt(check, { ...ctx, timeoutMs });
    outcome = tried.outcome;
    if (outcome.status === 'pass' || tried.final || i === check.retries) break;
    if (!(await converging(ctx))) break;
    await sleep(options.retryDelayMs);
  }
  return {
    id: check.id,
    title: check.title,
    type: check.type,
    status: outcome.status,
    evidence: outcome.evidence,
    ...(outcome.status !== 'pass' && outcome.diagnosis ? { diagnosis: outcome.diagnosis } : {}),
    ...(outcome.status !== 'pass' && outcome.path?.length ? { path: outcome.path } : {}),
    durationMs: Math.round(performance.now() - started),
    attempts,
  };
}

/** One attempt's outcome; `final` when trying again cannot change it (the cluster lacks an API). */
async function attempt(check: Check, ctx: CheckContext): Promise<{ outcome: CheckOutcome; final?: boolean }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<CheckOutcome>((resolve) => {
    // A little slack over the probe's own timeout, so a slow exec still reports what it saw.
    timer = setTimeout(
      () => resolve({ status: 'error', evidence: `the check did not finish within ${check.timeout}` }),
      ctx.timeoutMs + 1000,
    );
  });
  try {
    return { outcome: await Promise.race([runCheckOnce(check, ctx), timeout]) };
  } catch (error) {
    if (isFatal(error)) throw error;
    return {
      outcome: { status: 'error', evidence: `the check could not run: ${apiMessage(error)}` },
      final: error instanceof GraderError,
    };
  } finally {
    clearTimeout(timer);
  }
}

async function converging(ctx: Omit<CheckContext, 'timeoutMs'>): Promise<boolean> {
  try {
    return stillConverging(await ctx.snapshots.get()).length > 0;
  } catch (error) {
    if (isFatal(error)) throw error;
    // A missing API answers the same again; anything else: cannot tell, keep the retries.
    return !(error instanceof GraderError);
  }
}

/** The grader's own failures end the grade; a missing API fails only the checks that need it. */
function isFatal(error: unknown): boolean {
  return error instanceof GraderError && error.code !== GraderErrorCode.API_NOT_SERVED;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
