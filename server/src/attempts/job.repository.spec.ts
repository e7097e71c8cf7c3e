import { beforeEach, describe, expect, it } from 'vitest';
import { UserRepository } from '../auth/user.repository';
import { describeDatabases } from '../database/testing/test-databases';
import { AttemptRepository } from './attempt.repository';
import { JobRepository } from './job.repository';

describeDatabases('job repository', (t) => {
  let sut: JobRepository;
  let attemptIds: string[];

  beforeEach(async () => {
    await t.truncateAll();
    sut = new JobRepository(t.db);
    const version = await t.db.prisma.labVersion.create({
      data: { slug: 'lab', contentHash: 'c', files: {}, definition: {} },
    });
    attemptIds = [];
    for (const name of ['ada', 'bob']) {
      const user = await new UserRepository(t.db).create({
        email: `${name}@example.com`,
        displayName: name,
        passwordHash: 'h',
        role: 'learner',
      });
      const { attempt } = await new AttemptRepository(t.db).createQueued({
        userId: user!.id,
        labVersionId: version.id,
        labSlug: 'lab',
        seed: name,
      });
      attemptIds.push(attempt.id);
    }
  });

  describe(JobRepository.name, () => {
    it('should hand each job to one replica when two claim at once', async () => {
      const [a, b] = await Promise.all([
        sut.claim('replica-a', 1, 30_000),
        sut.claim('replica-b', 1, 30_000),
      ]);

      expect(a).toHaveLength(1);
      expect(b).toHaveLength(1);
      expect(a[0]!.id).not.toBe(b[0]!.id);
      expect([a[0]!.attemptId, b[0]!.attemptId].sort()).toEqual([...attemptIds].sort());
      expect(a[0]).toMatchObject({ kind: 'provision', generation: 0, tries: 1 });
      expect(await sut.claim('replica-c', 5, 30_000)).toEqual([]);
    });

    it('should let another replica take a job when its lease ran out', async () => {
      const [job] = await sut.claim('replica-a', 1, 1);
      await new Promise((r) => setTimeout(r, 50));

      const again = await sut.claim('replica-b', 5, 30_000);

      expect(again.map((j) => j.id)).toContain(job!.id);
      expect(again.find((j) => j.id === job!.id)!.tries).toBe(2);
    });

    it('should extend only its own lease when a replica renews', async () => {
      const [job] = await sut.claim('replica-a', 1, 30_000);
      await sut.renew([job!.id], 'replica-b', 1);

      expect((await sut.pendingFor(job!.attemptId))[0]).toMatchObject({ id: job!.id, leased: true });
    });

    it('should keep a completed job out of the pending ones with its error when complete is called', async () => {
      const [job] = await sut.claim('replica-a', 1, 30_000);
      await sut.complete(job!.id, 'sim host down');

      expect(await sut.pendingFor(job!.attemptId)).toEqual([]);
      const row = await t.db.prisma.job.findUniqueOrThrow({ where: { id: job!.id } });
      expect(row).toMatchObject({ lastError: 'sim host down', leaseOwner: null });
      expect(row.doneAt).not.toBeNull();
    });

    it('should free every lease when releaseAllLeases is called', async () => {
      await sut.claim('replica-a', 5, 30_000);
      await sut.releaseAllLeases();

      expect((await sut.pendingFor(attemptIds[0]!))[0]!.leased).toBe(false);
      expect(await sut.claim('replica-b', 5, 30_000)).toHaveLength(2);
    });

    it('should enqueue a job with the generation it provisions', async () => {
      await sut.enqueue('provision', attemptIds[0]!, 3);

      const pending = await sut.pendingFor(attemptIds[0]!);
      expect(pending.map((j) => j.generation).sort()).toEqual([0, 3]);
    });
  });
});
