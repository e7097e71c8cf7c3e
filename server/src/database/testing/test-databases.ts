import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import type { DatabaseKind } from '../database-connection';
import { DatabaseService } from '../database.service';
import { migrationsKey, pgliteTemplateFile, savePgliteTemplate } from '../pglite-template';
import { PostgresCluster, findPostgresBinDir } from './postgres-cluster';

/** The database a spec body runs against; `db` is usable inside hooks and tests (not at collection). */
export interface TestDatabase {
  readonly kind: DatabaseKind;
  readonly db: DatabaseService;
  /** Empties every table (the migrations stay): call it in a `beforeEach` for independent tests. */
  truncateAll(): Promise<void>;
}

/** Generous: creating and migrating a database on a loaded 2-core machine can take many seconds. */
const HOOK_TIMEOUT_MS = 180_000;

/**
 * Runs the same spec body against a fresh, migrated embedded PGlite and a fresh, migrated database on
 * a real PostgreSQL, as two describe blocks `<name> [pglite]` and `<name> [postgresql]`.
 *
 * PostgreSQL comes from NETLAB_TEST_DATABASE_URL (an admin URL: a database is created per suite and
 * dropped after it; `.ci/run` starts one), else from a throwaway cluster started from Debian's
 * binaries (/usr/lib/postgresql/<v>/bin). Without either, the PostgreSQL block fails under CI=true
 * and is reported as skipped elsewhere — never as passed.
 */
export function describeDatabases(name: string, body: (t: TestDatabase) => void): void {
  describe(`${name} [pglite]`, () => {
    const t = lifecycle('pglite', async () => ({
      target: { pgliteDir: 'memory://', loadDataDir: await migratedPgliteTemplate() },
      cleanup: async () => {},
    }));
    body(t);
  });

  const source = postgresSource();
  if (source.kind === 'missing') {
    if (process.env.CI === 'true') {
      describe(`${name} [postgresql]`, () => {
        it('should have a PostgreSQL to run against', () => {
          throw new Error(source.reason);
        });
      });
    } else {
      console.warn(`\n*** SKIPPED ${name} [postgresql]: ${source.reason}\n`);
      describe.skip(`${name} [postgresql] (SKIPPED: no PostgreSQL)`, () => body(unavailable('postgresql')));
    }
    return;
  }
  describe(`${name} [postgresql]`, () => {
    const t = lifecycle('postgresql', async () => {
      const cluster = source.kind === 'binaries' ? await PostgresCluster.start(source.binDir) : undefined;
      const adminUrl = cluster?.adminUrl ?? source.url!;
      const database = `netlab_test_${randomBytes(6).toString('hex')}`;
      await admin(
        adminUrl,
        `CREATE DATABASE ${database} TEMPLATE ${await migratedPostgresTemplate(adminUrl)}`,
      );
      const url = new URL(adminUrl);
      url.pathname = `/${database}`;
      return {
        target: { url: url.toString() },
        cleanup: async () => {
          try {
            await admin(adminUrl, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
          } finally {
            cluster?.stop();
          }
        },
      };
    });
    body(t);
  });
}

type Source =
  | { kind: 'url'; url: string }
  | { kind: 'binaries'; binDir: string; url?: undefined }
  | { kind: 'missing'; reason: string };

function postgresSource(): Source {
  const url = process.env.NETLAB_TEST_DATABASE_URL;
  if (url) return { kind: 'url', url };
  const binDir = findPostgresBinDir();
  if (binDir) return { kind: 'binaries', binDir };
  return {
    kind: 'missing',
    reason:
      "no PostgreSQL: set NETLAB_TEST_DATABASE_URL to an admin URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres) or install Debian's postgresql package",
  };
}

function lifecycle(
  kind: DatabaseKind,
  make: () => Promise<{ target: { url: string } | { pgliteDir: string }; cleanup: () => Promise<void> }>,
): TestDatabase {
  let db: DatabaseService | undefined;
  let cleanup = async () => {};
  beforeAll(async () => {
    const made = await make();
    cleanup = made.cleanup;
    db = await DatabaseService.open(made.target);
  }, HOOK_TIMEOUT_MS);
  afterAll(async () => {
    try {
      await db?.close();
    } finally {
      await cleanup();
    }
  }, HOOK_TIMEOUT_MS);
  return {
    kind,
    get db() {
      if (!db) throw new Error(`the ${kind} test database is not open yet: use it inside hooks and tests`);
      return db;
    },
    async truncateAll() {
      const prisma = this.db.prisma;
      const tables = await prisma.$queryRawUnsafe<{ tablename: string }[]>(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'",
      );
      if (tables.length) {
        await prisma.$executeRawUnsafe(
          `TRUNCATE ${tables.map((t) => `"${t.tablename}"`).join(', ')} RESTART IDENTITY CASCADE`,
        );
      }
    },
  };
}

function unavailable(kind: DatabaseKind): TestDatabase {
  return {
    kind,
    get db(): DatabaseService {
      throw new Error(`no ${kind} database`);
    },
    truncateAll: () => Promise.reject(new Error(`no ${kind} database`)),
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * A PGlite data directory with every migration applied, as a tarball cached in the temp dir (keyed by
 * the migrations' contents and the PGlite version): a fresh in-memory PGlite costs ~5 s of CPU for
 * its initdb, one loaded from this ~0.7 s. The template itself is made by the real migration path.
 */
async function migratedPgliteTemplate(): Promise<Blob> {
  const file = await pgliteTemplateFile(join(tmpdir(), 'netlab-test-pglite'));
  if (!existsSync(file)) {
    const db = await DatabaseService.open({ pgliteDir: 'memory://' });
    try {
      await savePgliteTemplate(db, file);
    } finally {
      await db.close();
    }
  }
  return new Blob([readFileSync(file)]);
}

/**
 * A database on the PostgreSQL server with every migration applied (made once through the real
 * migration path, named after the migrations' hash), which each suite's database copies with
 * `CREATE DATABASE … TEMPLATE`: much cheaper than migrating every suite's database. An advisory lock
 * makes concurrent suites wait for the one creating it.
 */
async function migratedPostgresTemplate(adminUrl: string): Promise<string> {
  const name = `netlab_template_${await migrationsKey()}`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(7277001)');
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!exists.rowCount) {
      const staging = `${name}_${randomBytes(3).toString('hex')}`;
      await client.query(`CREATE DATABASE ${staging}`);
      const url = new URL(adminUrl);
      url.pathname = `/${staging}`;
      const db = await DatabaseService.open({ url: url.toString() });
      await db.close();
      await client.query(`ALTER DATABASE ${staging} RENAME TO ${name}`);
    }
  } finally {
    await client.end(); // also releases the advisory lock
  }
  return name;
}
