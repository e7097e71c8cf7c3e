import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DatabaseService } from './database.service';
import { migrationNames } from './migrations/migration-files';
import { PRISMA_PATHS } from './database.paths';
import { ensurePgliteDir, pgliteTemplateFile } from './pglite-template';

const root = mkdtempSync(join(tmpdir(), 'netlab-pglite-template-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The migrations the database at `dir` records as applied, and its users' emails. */
async function contents(dir: string): Promise<{ migrations: number; emails: string[] }> {
  const db = await DatabaseService.open({ pgliteDir: dir }, { migrate: false });
  try {
    const rows = await db.prisma.$queryRawUnsafe<{ n: number }[]>(
      'SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL',
    );
    const users = await db.prisma.user.findMany({ select: { email: true } });
    return { migrations: rows[0]!.n, emails: users.map((u) => u.email) };
  } finally {
    await db.close();
  }
}

describe(ensurePgliteDir.name, { timeout: 120_000 }, () => {
  const cacheDir = join(root, 'cache');
  const logs: string[] = [];
  const log = (line: string) => logs.push(line);

  it('should create a migrated database the long way, then keep a template of it in the cache', async () => {
    const dir = join(root, 'first', 'pglite');
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, 'pglite-0123456789abcdef.tar'), 'the template of older migrations');
    writeFileSync(join(cacheDir, 'labs-0123456789abcdef.json'), '{}');
    await ensurePgliteDir(dir, { cacheDir, log });

    expect(await contents(dir)).toEqual({
      migrations: (await migrationNames(PRISMA_PATHS)).length,
      emails: [],
    });
    const template = await pgliteTemplateFile(cacheDir);
    expect(readdirSync(cacheDir).sort()).toEqual(['labs-0123456789abcdef.json', basename(template)]);
    expect(logs.at(-1)).toContain('(initdb and migrations)');
    expect(readdirSync(join(root, 'first'))).toEqual(['pglite']); // no staging folder left
  });

  it('should create the next database from the template', async () => {
    const dir = join(root, 'second', 'pglite');
    await ensurePgliteDir(dir, { cacheDir, log });

    expect(logs.at(-1)).toContain('from the template');
    expect((await contents(dir)).migrations).toBe((await migrationNames(PRISMA_PATHS)).length);
  });

  it('should leave an existing database as it is', async () => {
    const dir = join(root, 'second', 'pglite');
    const db = await DatabaseService.open({ pgliteDir: dir });
    await db.prisma.user.create({
      data: { email: 'ada@example.com', displayName: 'Ada', passwordHash: 'x', role: 'LEARNER' },
    });
    await db.close();
    const before = logs.length;

    await ensurePgliteDir(dir, { cacheDir, log });

    expect(logs.length).toBe(before);
    expect((await contents(dir)).emails).toEqual(['ada@example.com']);
  });

  it('should remove what a start killed half-way left, and refuse a folder that is not a database', async () => {
    const parent = join(root, 'killed');
    const gone = spawnSync('true').pid; // a process that has exited
    mkdirSync(join(parent, `pglite.new-${gone}`), { recursive: true });
    writeFileSync(join(parent, `pglite.new-${gone}`, 'PG_VERSION'), '17\n');
    // The folder of a start still running (here: the test runner's) is a database in the making: kept.
    mkdirSync(join(parent, `pglite.new-${process.ppid}`), { recursive: true });
    await ensurePgliteDir(join(parent, 'pglite'), { cacheDir, log });
    expect(readdirSync(parent).sort()).toEqual(['pglite', `pglite.new-${process.ppid}`]);

    const odd = join(root, 'odd', 'pglite');
    mkdirSync(odd, { recursive: true });
    writeFileSync(join(odd, 'notes.txt'), 'mine');
    await expect(ensurePgliteDir(odd, { cacheDir, log })).rejects.toThrow(
      `${odd} is not empty but holds no PostgreSQL data directory (no PG_VERSION): move it away, or set NETLAB_DATA_DIR to another folder`,
    );
    expect(readdirSync(odd)).toEqual(['notes.txt']);
  });

  it('should create the database the long way and replace a template that does not load', async () => {
    const file = await pgliteTemplateFile(cacheDir);
    writeFileSync(file, 'not a tarball');
    const dir = join(root, 'third', 'pglite');

    await ensurePgliteDir(dir, { cacheDir, log });

    expect(logs.some((l) => l.includes('did not load'))).toBe(true);
    expect((await contents(dir)).migrations).toBe((await migrationNames(PRISMA_PATHS)).length);
    await ensurePgliteDir(join(root, 'fourth', 'pglite'), { cacheDir, log });
    expect(logs.at(-1)).toContain('from the template');
  });
});
