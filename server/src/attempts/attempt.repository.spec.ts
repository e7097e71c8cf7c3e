import { beforeEach, describe, expect, it } from 'vitest';
import { UserRepository } from '../auth/user.repository';
import { describeDatabases } from '../database/testing/test-databases';
import { AttemptRepository } from './attempt.repository';

describeDatabases('attempt repository', (t) => {
  let sut: AttemptRepository;
  let userId: string;
  let labVersionId: string;

  beforeEach(async () => {
    await t.truncateAll();
    sut = new AttemptRepository(t.db);
    const user = await new UserRepository(t.db).create({
      email: 'ada@example.com',
      displayName: 'Ada',
      passwordHash: 'h',
      role: 'learner',
    });
    userId = user!.id;
    const version = await t.db.prisma.labVersion.create({
      data: { slug: 'svc-selector-mismatch', contentHash: 'c1', files: {}, definition: {} },
    });
    labVersionId = version.id;
  });
  const start = () =>
    sut.createQueued({ userId, labVersionId, labSlug: 'svc-selector-mismatch', seed: 's1' });

  describe(AttemptRepository.name, () => {
    it('should create a queued attempt with its created event and provisioning job when a learner starts', async () => {
      const { attempt, created } = await start();

      expect(created).toBe(true);
      expect(attempt).toMatchObject({ state: 'queued', generation: 0, labSlug: 'svc-selector-mismatch' });
      const events = await t.db.prisma.attemptEvent.findMany({ where: { attemptId: attempt.id } });
      expect(events.map((e) => [e.type, e.toState])).toEqual([['created', 'QUEUED']]);
      const jobs = await t.db.prisma.job.findMany({ where: { attemptId: attempt.id } });
      expect(jobs.map((j) => [j.kind, j.payload])).toEqual([['provision', { generation: 0 }]]);
    });

    it('should return the one live attempt when the learner starts the same lab twice at once', async () => {
      const [a, b, c] = await Promise.all([start(), start(), start()]);

      expect(new Set([a.attempt.id, b.attempt.id, c.attempt.id]).size).toBe(1);
      expect([a, b, c].filter((r) => r.created)).toHaveLength(1);
      expect(await t.db.prisma.attempt.count()).toBe(1);
    });

    it('should move the state only from the expected one and log the move when transition is called', async () => {
      const { attempt } = await start();

      const moved = await sut.transition(
        attempt.id,
        'queued',
        'provisioning',
        { step: 'cluster' },
        {
          type: 'transition',
          cause: 'a provisioning job started',
          fromState: 'queued',
          toState: 'provisioning',
        },
      );
      const stale = await sut.transition(
        attempt.id,
        'queued',
        'abandoned',
        {},
        {
          type: 'transition',
          cause: 'too late',
        },
      );

      expect(moved).toMatchObject({ state: 'provisioning', step: 'cluster' });
      expect(stale).toBeNull();
      expect((await sut.get(attempt.id))!.state).toBe('provisioning');
      const events = await t.db.prisma.attemptEvent.findMany({
        where: { attemptId: attempt.id },
        orderBy: { id: 'asc' },
      });
      expect(events.map((e) => e.cause)).toEqual([
        'the learner started the lab',
        'a provisioning job started',
      ]);
    });

    it('should count attempts by state, holding clusters and queued when attempts are in different states', async () => {
      const { attempt } = await start();
      const other = await new UserRepository(t.db).create({
        email: 'bob@example.com',
        displayName: 'Bob',
        passwordHash: 'h',
        role: 'learner',
      });
      const second = await sut.createQueued({
        userId: other!.id,
        labVersionId,
        labSlug: 'svc-selector-mismatch',
        seed: 's2',
      });
      await sut.transition(attempt.id, 'queued', 'provisioning', {}, { type: 'transition', cause: 'go' });
      await sut.update(attempt.id, { clusterName: 'na-1-g0' }, { type: 'step', cause: 'step cluster' });

      expect(await sut.countByState()).toEqual({ provisioning: 1, queued: 1 });
      expect(await sut.countHoldingClusters()).toBe(1);
      expect(await sut.queuedIds()).toEqual([second.attempt.id]);
      expect((await sut.listLive()).map((a) => a.id).sort()).toEqual([attempt.id, second.attempt.id].sort());
      expect((await sut.findByClusterName('na-1-g0'))?.id).toBe(attempt.id);
      expect(await sut.countLiveOfUser(userId)).toBe(1);
      expect(await sut.get('not-a-uuid')).toBeNull();
    });

    it('should keep check runs newest first, each hint once and activity only forward when a learner works', async () => {
      const { attempt } = await start();
      const run = (at: number, passed: boolean) =>
        sut.addCheckRun({
          attemptId: attempt.id,
          trigger: 'live',
          passed,
          score: passed ? 90 : null,
          results: [],
          startedAt: new Date(at),
          durationMs: 12,
        });
      await run(1_000, false);
      await run(2_000, true);

      expect((await sut.listCheckRuns(attempt.id)).map((r) => r.passed)).toEqual([true, false]);
      expect(await sut.latestCheckRun(attempt.id)).toMatchObject({ passed: true, score: 90, durationMs: 12 });
      expect(await sut.addHintUse(attempt.id, 0, 5)).toBe(true);
      expect(await sut.addHintUse(attempt.id, 0, 5)).toBe(false);
      expect(await sut.listHintUses(attempt.id)).toEqual([
        { index: 0, cost: 5, revealedAt: expect.any(Date) },
      ]);
      expect((await sut.get(attempt.id))!.hintsUsed).toBe(1);

      const later = new Date(Date.now() + 60_000);
      await sut.touch(attempt.id, later);
      await sut.touch(attempt.id, new Date(0));
      expect((await sut.get(attempt.id))!.lastActivityAt).toEqual(later);

      await sut.addCommand(attempt.id, {
        terminalId: 't1',
        command: 'kubectl get svc',
        exitCode: 0,
        at: later,
      });
      expect(await sut.listCommands(attempt.id)).toEqual([
        { terminalId: 't1', command: 'kubectl get svc', exitCode: 0, at: later },
      ]);
    });
  });
});
