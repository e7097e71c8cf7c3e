import { afterEach, describe, expect, it } from 'vitest';
import { AppError, AppErrorCode } from '../common/app-error';
import { AttemptService } from './attempt.service';
import { ADA, BOB, IRIS, LAB, newAttemptsHarness, readyAttempt } from './testing/attempts-harness';

const SLUG = LAB.definition.id;

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error.code;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe(AttemptService.name, () => {
  let h: ReturnType<typeof newAttemptsHarness>;
  afterEach(() => h.live.onApplicationShutdown());

  it('should queue a new attempt with a provisioning job when the learner starts a lab', async () => {
    h = newAttemptsHarness();
    const { attempt, created } = await h.service.start(ADA, SLUG);
    expect(created).toBe(true);
    // The queue hears of the job at once (on PGlite it polls only every few seconds).
    expect(h.queueKicks.count).toBe(1);
    await h.service.start(ADA, SLUG);
    expect(h.queueKicks.count).toBe(1);
    expect(attempt).toMatchObject({
      state: 'queued',
      labTitle: LAB.definition.title,
      solution: null,
      debrief: null,
    });
    expect(h.store.jobs).toEqual([expect.objectContaining({ attemptId: attempt.id, generation: 0 })]);
    expect(attempt.hints.map((x) => x.markdown)).toEqual([null, null, null]);
  });

  it('should return the live attempt instead of a second one when the learner starts the same lab again', async () => {
    h = newAttemptsHarness();
    const first = await h.service.start(ADA, SLUG);
    const again = await h.service.start(ADA, SLUG);
    expect(again).toMatchObject({ created: false, attempt: { id: first.attempt.id } });
    expect(h.store.attempts.size).toBe(1);
  });

  it('should refuse with QUOTA_EXCEEDED when the learner already runs as many labs as allowed', async () => {
    h = newAttemptsHarness({ perUserQuota: 1 });
    h.store.seed({ userId: ADA.id, labSlug: 'other-lab', state: 'ready' });
    expect(await code(h.service.start(ADA, SLUG))).toBe(AppErrorCode.QUOTA_EXCEEDED);
  });

  it('should answer NOT_FOUND to another learner and let a supervising instructor read but not act', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    expect(await code(h.service.get(BOB, a.id))).toBe(AppErrorCode.NOT_FOUND);
    expect(await code(h.service.hint(BOB, a.id))).toBe(AppErrorCode.NOT_FOUND);
    expect((await h.service.get(IRIS, a.id)).id).toBe(a.id);
    expect(await code(h.service.abandon(IRIS, a.id))).toBe(AppErrorCode.FORBIDDEN);
  });

  it('should reveal hints one at a time with their cost and refuse when none is left', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    const first = await h.service.hint(ADA, a.id);
    expect(first.hint).toMatchObject({ index: 0, cost: LAB.definition.hints[0]!.cost });
    expect(first.attempt.hints.map((x) => x.revealed)).toEqual([true, false, false]);
    await h.service.hint(ADA, a.id);
    await h.service.hint(ADA, a.id);
    expect(await code(h.service.hint(ADA, a.id))).toBe(AppErrorCode.CONFLICT);
    expect((await h.store.get(a.id))!.hintsUsed).toBe(3);
  });

  it('should pass with a score net of hint costs and show solution and debrief when every check passes', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    await h.service.hint(ADA, a.id);
    h.clusters.verdicts = Object.fromEntries(LAB.definition.checks.map((c) => [c.id, 'pass']));
    const run = await h.service.check(ADA, a.id);
    expect(run).toMatchObject({
      trigger: 'manual',
      passed: true,
      score: 100 - LAB.definition.hints[0]!.cost,
    });
    const after = await h.service.get(ADA, a.id);
    expect(after).toMatchObject({ state: 'passed', score: 95 });
    expect(after.solution?.commands).toEqual(LAB.definition.solution.commands);
    expect(after.debrief?.links).toEqual(LAB.definition.debrief.links);
    expect(h.clusters.calls).toContain(`delete ${a.clusterName}`);
    expect(h.store.writes.indexOf('transition ready->passed')).toBeGreaterThan(
      h.store.writes.indexOf('check-run'),
    );
  });

  it('should show evidence and diagnosis of failing checks but hide them in an exam', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    const run = await h.service.check(ADA, a.id);
    expect(run.checks[0]).toMatchObject({
      status: 'fail',
      evidence: expect.any(String),
      diagnosis: expect.any(String),
    });
    h.store.attempts.get(a.id)!.examSittingId = 'exam-1';
    const exam = await h.service.get(ADA, a.id);
    expect(exam.checks.every((c) => c.evidence === null && c.diagnosis === null)).toBe(true);
  });

  it('should extend once and answer ALREADY_EXTENDED the second time', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    const extended = await h.service.extend(ADA, a.id);
    expect(extended).toMatchObject({ extended: true, canExtend: false });
    expect(new Date(extended.expiresAt!).getTime() - a.expiresAt!.getTime()).toBe(60 * 60_000);
    expect(await code(h.service.extend(ADA, a.id))).toBe(AppErrorCode.ALREADY_EXTENDED);
  });

  it('should delete the cluster and queue generation 1 with the same seed when the learner resets', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    const reset = await h.service.reset(ADA, a.id);
    expect(reset.state).toBe('queued');
    const row = (await h.store.get(a.id))!;
    expect(row).toMatchObject({ generation: 1, seed: a.seed, clusterName: null });
    expect(h.clusters.calls).toContain(`delete ${a.clusterName}`);
    expect(h.store.jobs.at(-1)).toMatchObject({ attemptId: a.id, generation: 1 });
  });

  it('should fail the attempt on finish when checks fail, and show the solution only after giving up', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    const finished = await h.service.finish(ADA, a.id);
    expect(finished).toMatchObject({ state: 'failed', solution: null });
    const b = await readyAttempt(h);
    expect((await h.service.get(ADA, b.id)).solution).toBeNull();
    const gaveUp = await h.service.abandon(ADA, b.id);
    expect(gaveUp.state).toBe('abandoned');
    expect(gaveUp.solution?.commands).toEqual(LAB.definition.solution.commands);
    expect(await code(h.service.abandon(ADA, b.id))).toBe(AppErrorCode.CONFLICT);
  });

  it('should let the learner start the lab again once the attempt ended', async () => {
    h = newAttemptsHarness();
    const a = await readyAttempt(h);
    await h.service.abandon(ADA, a.id);
    const next = await h.service.start(ADA, SLUG);
    expect(next.created).toBe(true);
    expect(next.attempt.id).not.toBe(a.id);
  });
});
