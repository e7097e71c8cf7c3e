import { Prisma } from './generated/client';
import { beforeEach, expect, it } from 'vitest';
import { DatabaseService } from './database.service';
import { migrationNames } from './migrations/migration-files';
import { PRISMA_PATHS } from './database.paths';
import { describeDatabases } from './testing/test-databases';

describeDatabases(DatabaseService.name, (t) => {
  beforeEach(() => t.truncateAll());

  const newUser = (email = 'ada@example.org') =>
    t.db.prisma.user.create({ data: { email, displayName: 'Ada', passwordHash: 'x' } });

  it('should have applied every committed migration when it opens a fresh database', async () => {
    const rows = await t.db.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(await migrationNames(PRISMA_PATHS));
    expect(await t.db.migrationStatus()).toEqual({ pending: [], notOnDisk: [], failed: [], edited: [] });
    expect(await t.db.migrate()).toEqual([]);
  });

  it('should answer a ping when the database is open', async () => {
    await expect(t.db.ping()).resolves.toBeUndefined();
  });

  it('should refuse a second user with the same email with P2002 when emails collide', async () => {
    await newUser();
    const error = await newUser().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Prisma.PrismaClientKnownRequestError);
    expect((error as Prisma.PrismaClientKnownRequestError).code).toBe('P2002');
  });

  it('should keep JSON, text arrays and BigInt ids as written when they round-trip', async () => {
    const user = await newUser();
    const lab = await t.db.prisma.labVersion.create({
      data: {
        slug: 'svc-selector',
        contentHash: 'abc',
        files: { 'lab.yaml': 'id: svc-selector\n' },
        definition: { title: 'Selector', tags: ['services'], minutes: 15 },
      },
    });
    const attempt = await t.db.prisma.attempt.create({
      data: { userId: user.id, labVersionId: lab.id, labSlug: lab.slug, seed: 's1' },
    });
    const first = await t.db.prisma.attemptEvent.create({
      data: { attemptId: attempt.id, type: 'transition', toState: 'QUEUED', cause: 'created' },
    });
    const second = await t.db.prisma.attemptEvent.create({
      data: { attemptId: attempt.id, type: 'step', cause: 'cluster', data: { percent: 40 } },
    });
    const cohort = await t.db.prisma.cohort.create({ data: { name: 'CKA prep' } });
    const exam = await t.db.prisma.exam.create({
      data: {
        cohortId: cohort.id,
        title: 'Mock exam',
        labSlugs: ['svc-selector', 'netpol-deny'],
        durationMinutes: 60,
        opensAt: new Date('2026-01-01T10:00:00Z'),
        closesAt: new Date('2026-01-01T12:00:00Z'),
      },
    });

    expect(typeof first.id).toBe('bigint');
    expect(second.id).toBe(first.id + 1n);
    expect((await t.db.prisma.labVersion.findUniqueOrThrow({ where: { id: lab.id } })).definition).toEqual({
      title: 'Selector',
      tags: ['services'],
      minutes: 15,
    });
    expect((await t.db.prisma.exam.findUniqueOrThrow({ where: { id: exam.id } })).labSlugs).toEqual([
      'svc-selector',
      'netpol-deny',
    ]);
  });

  it("should delete a user's sessions and attempts with the user when the user is deleted", async () => {
    const user = await newUser();
    await t.db.prisma.session.create({
      data: { id: 'a'.repeat(64), userId: user.id, expiresAt: new Date(Date.now() + 60_000) },
    });
    await t.db.prisma.user.delete({ where: { id: user.id } });
    expect(await t.db.prisma.session.count()).toBe(0);
  });

  it('should start each test from empty tables when truncateAll ran', async () => {
    expect(await t.db.prisma.user.count()).toBe(0);
    await newUser();
    await t.truncateAll();
    expect(await t.db.prisma.user.count()).toBe(0);
  });
});
