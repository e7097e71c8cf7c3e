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
  /** Subscribes to NOTIFY on `channel` (see {@link DatabaseService.listen}). */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onLost: (error: Error) => void,
  ): Promise<Unlisten>;
  close(): Promise<void>;
}

/** Ends a subscription made by `listen`. */
export type Unlisten = () => Promise<void>;

/** Opens PGlite (creating its parent directories, which PGlite does not) or a PostgreSQL pool. */
export async function openConnection(target: DatabaseTarget): Promise<DatabaseConnection> {
  if ('url' in target) {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: target.url }) });
    const listeners = new Set<Unlisten>();
    return {
      kind: 'postgresql',
      prisma,
      migrationAdapter: () => migrationAdapterForPostgres(target.url),
      listen: async (channel, onNotify, onLost) => {
        const unlisten = await listenOnPostgres(target.url, channel, onNotify, onLost);
        const once: Unlisten = () => (listeners.delete(once) ? unlisten() : Promise.resolve());
        listeners.add(once);
        return once;
      },
      close: async () => {
        await Promise.all([...listeners].map((unlisten) => unlisten()));
        await prisma.$disconnect();
      },
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
    // The same instance runs every query, so a notification cannot be lost: onLost is never called.
    listen: (channel, onNotify) => pglite.listen(quoteChannel(channel), onNotify),
    close: async () => {
      await prisma.$disconnect();
      // $disconnect leaves PGlite open, which keeps the process alive for ~10 s.
      await pglite.close();
    },
  };
}

/** A channel name as an identifier: only `[a-z_][a-z0-9_]*`, so it never needs escaping. */
function quoteChannel(channel: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(channel)) throw new Error(`invalid NOTIFY channel name "${channel}"`);
  return channel;
}

/**
 * LISTEN on its own connection (pooled connections are shared, so they cannot hold a LISTEN).
 * `onLost` is called once if the connection fails or ends before the returned function is called.
 */
async function listenOnPostgres(
  url: string,
  channel: string,
  onNotify: (payload: string) => void,
  onLost: (error: Error) => void,
): Promise<Unlisten> {
  const client = new pg.Client({ connectionString: url });
  let ended = false;
  const lost = (error: Error): void => {
    if (ended) return;
    ended = true;
    onLost(error);
    void client.end().catch(() => {});
  };
  client.on('error', lost);
  client.on('end', () => lost(new Error('the LISTEN connection ended')));
  client.on('notification', (message) => {
    if (message.channel === channel) onNotify(message.payload ?? '');
  });
  try {
    await client.connect();
    await client.query(`LISTEN ${quoteChannel(channel)}`);
  } catch (error) {
    ended = true;
    await client.end().catch(() => {});
    throw error;
  }
  return async () => {
    if (ended) return;
    ended = true;
    await client.end().catch(() => {});
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
  const connect = factory.connect.bind(factory);
  return Object.assign(factory, {
    connect: async () => {
      const adapter = await connect();
      // adapter-pg splits a migration script at every ";", which cuts a function body
      // ($$ … ; … $$) apart. PostgreSQL's simple query protocol runs the whole script as written,
      // in one implicit transaction, as Prisma's native engine does.
      adapter.executeScript = async (script: string) => {
        await pool.query(script);
      };
      return adapter;
    },
    // Prisma's own shadow-database handling would create databases on this server; the migrator
    // never asks for one here (creating migrations uses in-memory PGlite instead).
    connectToShadowDb: () => Promise.reject(new Error('no shadow database on PostgreSQL')),
    close: () => pool.end(),
  });
}
