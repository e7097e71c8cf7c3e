import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { afterEach, describe, expect, it } from 'vitest';
import { PRISMA_PATHS, type PrismaPaths } from '../database.paths';
import { createMigration, Migrator } from './migrator';

const SLOW = 180_000;

describe(Migrator.name, () => {
  const dirs: string[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  /** A copy of server/prisma (schema + migrations) to change freely. */
  function copyOfPrisma(): PrismaPaths {
    const dir = mkdtempSync(join(tmpdir(), 'netlab-migrator-'));
    dirs.push(dir);
    cpSync(join(PRISMA_PATHS.migrationsDir, '..'), dir, { recursive: true });
    return { schemaFile: join(dir, 'schema.prisma'), migrationsDir: join(dir, 'migrations') };
  }

  it(
    'should find nothing to create when the committed migrations match schema.prisma',
    async () => {
      // Fails when schema.prisma changed without a migration: run
      //   npm run -w @netlab/server db:migrate:create -- --name <what_changed>
      const paths = copyOfPrisma();
      expect(await createMigration(paths, 'drift_check')).toBeNull();
    },
    SLOW,
  );

  it(
    'should write the next migration when the schema gained a field',
    async () => {
      const paths = copyOfPrisma();
      const schema = readFileSync(paths.schemaFile, 'utf8');
      writeFileSync(
        paths.schemaFile,
        schema.replace('  disabledAt   DateTime?', '  disabledAt   DateTime?\n  avatarUrl String?'),
      );
      const name = await createMigration(paths, 'add_avatar');
      expect(name).toMatch(/^\d{14}_add_avatar$/);
      const sql = readFileSync(join(paths.migrationsDir, name!, 'migration.sql'), 'utf8');
      expect(sql).toContain('ALTER TABLE "User" ADD COLUMN     "avatarUrl" TEXT');
    },
    SLOW,
  );

  it('should refuse a migration name that is not snake_case when creating', async () => {
    await expect(createMigration(PRISMA_PATHS, 'Add User')).rejects.toThrow(
      'migration name "Add User" must be 1-60 characters of a-z, 0-9 and _, e.g. add_user_avatar',
    );
  });

  it(
    'should report every migration pending, then apply them in order, when the database is empty',
    async () => {
      const pglite = new PGlite();
      try {
        const sut = new Migrator(new PrismaPGlite(pglite), PRISMA_PATHS);
        const all = readdirSync(PRISMA_PATHS.migrationsDir, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => e.name)
          .sort();
        expect((await sut.status()).pending).toEqual(all);
        expect(await sut.deploy()).toEqual(all);
        expect(await sut.status()).toEqual({ pending: [], notOnDisk: [], failed: [], edited: [] });
        expect(await sut.deploy()).toEqual([]);
      } finally {
        await pglite.close();
      }
    },
    SLOW,
  );

  it(
    'should report an applied migration whose file changed as edited when a migration was edited',
    async () => {
      const paths = copyOfPrisma();
      const pglite = new PGlite();
      try {
        const sut = new Migrator(new PrismaPGlite(pglite), paths);
        const [first] = await sut.deploy();
        const file = join(paths.migrationsDir, first!, 'migration.sql');
        writeFileSync(file, `-- edited\n${readFileSync(file, 'utf8')}`);
        expect((await sut.status()).edited).toEqual([first]);
      } finally {
        await pglite.close();
      }
    },
    SLOW,
  );
});
