import { beforeEach, expect, it } from 'vitest';
import type { Role } from '../auth/auth.types';
import { UserRepository } from '../auth/user.repository';
import { describeDatabases } from '../database/testing/test-databases';
import { CohortAccessService } from './cohort-access.service';
import { CohortMembershipRepository } from './cohort-membership.repository';

describeDatabases(CohortMembershipRepository.name, (t) => {
  beforeEach(() => t.truncateAll());

  async function user(email: string, role: Role) {
    return (await new UserRepository(t.db).create({ email, displayName: email, passwordHash: 'h', role }))!;
  }
  async function cohort(members: { userId: string; role: 'LEARNER' | 'INSTRUCTOR' }[], archived = false) {
    const c = await t.db.prisma.cohort.create({
      data: { name: 'c', archivedAt: archived ? new Date() : null },
    });
    await t.db.prisma.cohortMembership.createMany({ data: members.map((m) => ({ cohortId: c.id, ...m })) });
  }

  it('should let an instructor supervise a learner of their cohort, and nobody else', async () => {
    const teacher = await user('t@example.com', 'instructor');
    const other = await user('o@example.com', 'instructor');
    const learner = await user('l@example.com', 'learner');
    const stranger = await user('s@example.com', 'learner');
    const admin = await user('a@example.com', 'admin');
    await cohort([
      { userId: teacher.id, role: 'INSTRUCTOR' },
      { userId: learner.id, role: 'LEARNER' },
    ]);
    await cohort([
      { userId: other.id, role: 'LEARNER' },
      { userId: stranger.id, role: 'LEARNER' },
    ]);
    const sut = new CohortAccessService(new CohortMembershipRepository(t.db));
    expect(await sut.canSupervise(teacher, learner.id)).toBe(true);
    expect(await sut.canSupervise(teacher, stranger.id)).toBe(false);
    expect(await sut.canSupervise(other, stranger.id)).toBe(false); // a learner member, not its instructor
    expect(await sut.canSupervise(learner, teacher.id)).toBe(false);
    expect(await sut.canSupervise(admin, stranger.id)).toBe(true);
  });

  it('should stop supervision when the cohort is archived', async () => {
    const teacher = await user('t@example.com', 'instructor');
    const learner = await user('l@example.com', 'learner');
    await cohort(
      [
        { userId: teacher.id, role: 'INSTRUCTOR' },
        { userId: learner.id, role: 'LEARNER' },
      ],
      true,
    );
    expect(await new CohortMembershipRepository(t.db).instructsCohortOf(teacher.id, learner.id)).toBe(false);
  });
});
