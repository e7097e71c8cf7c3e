import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/client';

/** Which database a connection talks to. */
export type DatabaseKind = 'pglite' | 'postgresql';

/**
 * Where the data is: a PostgreSQL URL, or a PGlite data directory (`memory://` for a throwaway one),
 * optionally started from a `dumpDataDir()` tarball (tests: a migrated template, ~7× faster than initdb).
 */
export type DatabaseTarget = { url: string } | { pgliteDir: string; loadDataDir?: Blob };

/** An open database: the Prisma client, the adapter the migrator uses, and how to close both. */
export interface DatabaseConnection {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** The migration tool's adapter over the same database (for PGlite, the same in-process instance). */
  migrationAdapter(): SqlMigrationAwareDriverAdapterFactory & { close(): Promise<void> };
  /** PGlite only: the data directory as a tarball (`PGlite.dumpDataDir`). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

/** Opens PGlite (creating its parent directories, which PGlite does not) or a PostgreSQL pool. */
export async function openConnection(target: DatabaseTarget): Promise<DatabaseConnection> {
  if ('url' in target) {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.url }) });
    return {
      kind: 'postgresql',
      prisma,
      migrationAdapter: () => migrationAdapterForPostgres(target.url),
      close: () => prisma.$disconnect(),
    };
  }
  if (!target.pgliteDir.startsWith('memory://')) mkdirSync(dirname(target.pgliteDir), { recursive: true });
  const pglite = await PGlite.create({ dataDir: target.pgliteDir, loadDataDir: target.loadDataDir });
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  return {
    kind: 'pglite',
    prisma,
    migrationAdapter: () => Object.assign(new PrismaPGlite(pglite), { close: async () => {} }),
    dumpDataDir: () => pglite.dumpDataDir('none'),
    close: async () => {
      await prisma.$disconnect();
      // $disconnect leaves PGlite open, which keeps the process alive for ~10 s.
      await pglite.close();
    },
  };
}

/**
 * `@prisma/adapter-pg` cannot map PostgreSQL's internal `"char"` type (OID 18), which the schema
 * engine meets while introspecting; this client reports such columns as text (OID 25).
 */
class CharAsTextClient extends pg.Client {
  override query(...args: unknown[]): never {
    const result = (super.query as (...a: unknown[]) => unknown)(...args);
    if (result instanceof Promise) {
      return result.then((r: pg.QueryResult) => {
        for (const field of r?.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
        return r;
      }) as never;
    }
    return result as never;
  }
}

function migrationAdapterForPostgres(url: string) {
  const pool = new pg.Pool({ connectionString: url, Client: CharAsTextClient, max: 2 });
  const factory = new PrismaPg(pool);
  return Object.assign(factory, {
    // Prisma's own shadow-database handling would create databases on this server; the migrator
    // never asks for one here (creating migrations uses in-memory PGlite instead).
    connectToShadowDb: () => Promise.reject(new Error('no shadow database on PostgreSQL')),
    close: () => pool.end(),
  });
}
