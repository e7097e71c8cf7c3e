import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { openConnection, type DatabaseKind, type DatabaseTarget, type Unlisten } from './database-connection';
import { PRISMA_PATHS, type PrismaPaths } from './database.paths';
import type { PrismaClient } from './generated/client';
import { migrationNames } from './migrations/migration-files';
import { Migrator, type MigrationStatus } from './migrations/migrator';

/** Options of {@link DatabaseService.open}. */
export interface OpenDatabaseOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  paths?: PrismaPaths;
  log?: (message: string) => void;
}

/**
 * The database: `prisma` is the Prisma client (only repositories use it). Embedded PGlite by default,
 * PostgreSQL when DATABASE_URL is set; pending migrations are applied when it opens, in-process
 * (PGlite is single-process, so no second process may open its directory).
 */
@Injectable()
export class DatabaseService implements OnApplicationShutdown {
  private closing: Promise<void> | undefined;

  private constructor(
    readonly kind: DatabaseKind,
    readonly prisma: PrismaClient,
    private readonly connection: Awaited<ReturnType<typeof openConnection>>,
    private readonly paths: PrismaPaths,
  ) {}

  static async open(target: DatabaseTarget, options: OpenDatabaseOptions = {}): Promise<DatabaseService> {
    const started = performance.now();
    const connection = await openConnection(target);
    const sut = new DatabaseService(
      connection.kind,
      connection.prisma,
      connection,
      options.paths ?? PRISMA_PATHS,
    );
    let migrations = 'not checked';
    if (options.migrate ?? true) {
      try {
        const applied = await sut.migrate();
        migrations = applied.length ? `applied ${applied.join(', ')}` : 'up to date';
      } catch (error) {
        await sut.close();
        throw error;
      }
    }
    const where = 'url' in target ? 'PostgreSQL' : `PGlite (${target.pgliteDir})`;
    const ms = (performance.now() - started).toFixed(0);
    options.log?.(`${where} ready in ${ms} ms; migrations: ${migrations}`);
    return sut;
  }

  /**
   * Applies every pending migration; returns the names applied. When the database already records
   * every migration on disk as finished, the schema engine (a large WebAssembly module) is not even
   * loaded: that keeps a normal restart fast.
   */
  async migrate(): Promise<string[]> {
    if (await this.allApplied()) return [];
    return this.withMigrator((m) => m.deploy());
  }

  private async allApplied(): Promise<boolean> {
    const onDisk = await migrationNames(this.paths);
    let rows: { migration_name: string }[];
    try {
      rows = await this.prisma.$queryRawUnsafe<{ migration_name: string }[]>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      );
    } catch {
      return false; // no migrations table yet
    }
    const applied = new Set(rows.map((r) => r.migration_name));
    return onDisk.every((name) => applied.has(name));
  }

  async migrationStatus(): Promise<MigrationStatus> {
    return this.withMigrator((m) => m.status());
  }

  /** PGlite only: the whole data directory as a tarball (a backup, or a template for tests). */
  async dumpPglite(): Promise<Blob> {
    if (!this.connection.dumpDataDir) throw new Error('dumpPglite: this database is PostgreSQL, not PGlite');
    return this.connection.dumpDataDir();
  }

  /**
   * Calls `onNotify(payload)` for every `NOTIFY channel` (e.g. from a trigger) committed by any
   * connection, this process's or another replica's; resolves once listening. On PostgreSQL the
   * subscription holds its own connection: if that fails, `onLost` is called once and nothing more
   * is delivered (listen again). Stops on the returned function or when the database closes.
   */
  listen(
    channel: string,
    onNotify: (payload: string) => void,
    onLost: (error: Error) => void,
  ): Promise<Unlisten> {
    return this.connection.listen(channel, onNotify, onLost);
  }

  /** Resolves when the database answers a query (readiness). */
  async ping(): Promise<void> {
    await this.prisma.$queryRawUnsafe('SELECT 1');
  }

  /** Closes the client and, for PGlite, the embedded database; safe to call more than once. */
  close(): Promise<void> {
    this.closing ??= this.connection.close();
    return this.closing;
  }

  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  private async withMigrator<T>(run: (m: Migrator) => Promise<T>): Promise<T> {
    const adapter = this.connection.migrationAdapter();
    try {
      return await run(new Migrator(adapter, this.paths));
    } finally {
      await adapter.close();
    }
  }
}

/** The PGlite data directory under a data directory. */
export function pgliteDirOf(dataDir: string): string {
  return `${dataDir.replace(/\/+$/, '')}/pglite`;
}

/** Logs through Nest's logger under the "Database" context. */
export const databaseLog = (message: string) => new Logger('Database').log(message);
