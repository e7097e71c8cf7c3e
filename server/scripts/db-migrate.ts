// Migration commands that need no downloaded Prisma engine (see server/README.md, "Database"):
//   npm run -w @netlab/server db:migrate:create -- --name add_user_avatar
//   npm run -w @netlab/server db:migrate:status
//   npm run -w @netlab/server db:migrate:deploy
// status and deploy use the server's database (DATABASE_URL, else PGlite in NETLAB_DATA_DIR); with
// PGlite, stop the server first: only one process may open its directory.
import { execFileSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { ConfigError } from '../src/config/config.error';
import { loadConfig } from '../src/config/config.loader';
import { PRISMA_PATHS } from '../src/database/database.paths';
import { DatabaseService, pgliteDirOf } from '../src/database/database.service';
import { createMigration } from '../src/database/migrations/migrator';

const [command, ...rest] = process.argv.slice(2);

async function main(): Promise<number> {
  if (command === 'create') {
    const { values } = parseArgs({ args: rest, options: { name: { type: 'string' } } });
    if (!values.name) {
      console.error('usage: db:migrate:create -- --name <what_changes>   e.g. --name add_user_avatar');
      return 2;
    }
    const created = await createMigration(PRISMA_PATHS, values.name);
    if (!created) {
      console.log('The schema matches the migrations: nothing to create.');
      return 0;
    }
    console.log(`Created prisma/migrations/${created}/migration.sql — review it, then commit it.`);
    execFileSync('npx', ['prisma', 'generate'], { stdio: 'inherit' });
    return 0;
  }
  if (command !== 'status' && command !== 'deploy') {
    console.error('usage: db-migrate.ts create --name <name> | status | deploy');
    return 2;
  }
  const config = loadConfig(process.env);
  const target = config.databaseUrl
    ? { url: config.databaseUrl }
    : { pgliteDir: pgliteDirOf(config.dataDir) };
  const where = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite at ${pgliteDirOf(config.dataDir)}`;
  const db = await DatabaseService.open(target, { migrate: false });
  try {
    if (command === 'deploy') {
      const applied = await db.migrate();
      console.log(
        applied.length ? `${where}: applied ${applied.join(', ')}` : `${where}: already up to date`,
      );
      return 0;
    }
    const status = await db.migrationStatus();
    const lines = [
      ...status.pending.map((n) => `  pending       ${n}`),
      ...status.failed.map(
        (n) => `  FAILED        ${n} (fix the database by hand, then mark it rolled back)`,
      ),
      ...status.edited.map((n) => `  EDITED        ${n} (applied, then its migration.sql changed)`),
      ...status.notOnDisk.map((n) => `  not on disk   ${n} (applied by a newer netlab?)`),
    ];
    console.log(lines.length ? `${where}:\n${lines.join('\n')}` : `${where}: up to date`);
    return status.pending.length || status.failed.length ? 1 : 0;
  } finally {
    await db.close();
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(1);
  },
);
