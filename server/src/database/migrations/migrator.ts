import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { PrismaPaths } from '../database.paths';
import { LOCKFILE, LOCKFILE_CONTENT, NO_FILTER, readMigrationList, readSchemaFiles } from './migration-files';
import { newSchemaEngine } from './schema-engine.loader';

/** Where a database stands against the migration folders. */
export interface MigrationStatus {
  /** On disk, not yet applied (what `deploy` would apply), in order. */
  pending: string[];
  /** Recorded in the database but missing on disk (a newer server's migrations, or a deleted folder). */
  notOnDisk: string[];
  /** Started and failed: the database needs a look by hand before anything else is applied. */
  failed: string[];
  /** Applied, then their migration.sql changed on disk (migrations must never be edited). */
  edited: string[];
}

/**
 * Applies and inspects the committed migrations (server/prisma/migrations) through the WebAssembly
 * schema engine, so no native Prisma engine is ever downloaded. Migration folders and the
 * `_prisma_migrations` table are in the native CLI's format.
 */
export class Migrator {
  constructor(
    private readonly adapter: SqlMigrationAwareDriverAdapterFactory,
    private readonly paths: PrismaPaths,
  ) {}

  /** Applies every pending migration, in order; returns the names applied. */
  async deploy(): Promise<string[]> {
    return this.withEngine(async (engine) => {
      const migrationsList = await readMigrationList(this.paths);
      const out = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      return out.appliedMigrationNames;
    });
  }

  async status(): Promise<MigrationStatus> {
    return this.withEngine(async (engine) => {
      const migrationsList = await readMigrationList(this.paths);
      const out = await engine.diagnoseMigrationHistory({
        migrationsList,
        optInToShadowDatabase: false,
        filters: NO_FILTER,
      });
      const status: MigrationStatus = {
        pending: [],
        notOnDisk: [],
        failed: out.failedMigrationNames,
        edited: out.editedMigrationNames,
      };
      const history = out.history;
      if (!out.hasMigrationsTable) {
        status.pending = migrationsList.migrationDirectories.map((d) => d.path);
      } else if (history?.diagnostic === 'databaseIsBehind') {
        status.pending = history.unappliedMigrationNames;
      } else if (history?.diagnostic === 'migrationsDirectoryIsBehind') {
        status.notOnDisk = history.unpersistedMigrationNames;
      } else if (history?.diagnostic === 'historiesDiverge') {
        status.pending = history.unappliedMigrationNames;
        status.notOnDisk = history.unpersistedMigrationNames;
      }
      return status;
    });
  }

  private async withEngine<T>(run: (engine: SchemaEngine) => Promise<T>): Promise<T> {
    const engine = await newSchemaEngine(await readSchemaFiles(this.paths), this.adapter);
    try {
      return await run(engine);
    } finally {
      engine.free();
    }
  }
}

/**
 * Creates the next migration from the difference between the migration history and the schema,
 * without any real database: the history is replayed into a throwaway in-memory PGlite, and another
 * in-memory PGlite is the shadow database. Returns the new folder's name, or null when the schema
 * has no change to migrate.
 */
export async function createMigration(paths: PrismaPaths, name: string): Promise<string | null> {
  if (!/^[a-z0-9_]{1,60}$/.test(name)) {
    throw new Error(
      `migration name "${name}" must be 1-60 characters of a-z, 0-9 and _, e.g. add_user_avatar`,
    );
  }
  const pglite = new PGlite();
  try {
    const engine = await newSchemaEngine(await readSchemaFiles(paths), new PrismaPGlite(pglite));
    try {
      const migrationsList = await readMigrationList(paths);
      await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      await engine.devDiagnostic({ migrationsList, filters: NO_FILTER });
      const out = await engine.createMigration({
        draft: false,
        migrationName: name,
        migrationsList,
        schema: { files: (await readSchemaFiles(paths)).map(([path, content]) => ({ path, content })) },
        filters: NO_FILTER,
      });
      if (!out.migrationScript) return null;
      const folder = join(paths.migrationsDir, out.generatedMigrationName);
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, `migration.${out.extension}`), out.migrationScript);
      const lock = join(paths.migrationsDir, LOCKFILE);
      if (!existsSync(lock)) await writeFile(lock, LOCKFILE_CONTENT);
      return out.generatedMigrationName;
    } finally {
      engine.free();
    }
  } finally {
    await pglite.close();
  }
}
