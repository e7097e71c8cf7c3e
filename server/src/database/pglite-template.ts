import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { PRISMA_PATHS } from './database.paths';
import { DatabaseService } from './database.service';
import { migrationNames } from './migrations/migration-files';

/** A short hash of every migration on disk (name and SQL), plus `extra`. */
export async function migrationsKey(extra = ''): Promise<string> {
  const h = createHash('sha256').update(extra);
  for (const name of await migrationNames(PRISMA_PATHS)) {
    h.update(`${name}\0${readFileSync(join(PRISMA_PATHS.migrationsDir, name, 'migration.sql'))}\0`);
  }
  return h.digest('hex').slice(0, 16);
}

/**
 * The template file for the migrations on disk and this PGlite version (`pglite-<hash>.tar` in
 * `cacheDir`): another migration or PGlite gives another name, so a template is never stale.
 */
export async function pgliteTemplateFile(cacheDir: string): Promise<string> {
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite'); // <pkg>/dist/index.cjs
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as {
    version: string;
  };
  return join(cacheDir, `pglite-${await migrationsKey(pkg.version)}.tar`);
}

/**
 * Writes `db`'s data directory to `file` (atomically: a reader never sees half a template), and
 * removes the templates of other migrations beside it (~40 MB each, never read again).
 */
export async function savePgliteTemplate(db: DatabaseService, file: string): Promise<void> {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const staging = `${file}.${process.pid}`;
  writeFileSync(staging, Buffer.from(await (await db.dumpPglite()).arrayBuffer()), { mode: 0o600 });
  renameSync(staging, file);
  for (const other of readdirSync(dir)) {
    if (/^pglite-[0-9a-f]{16}\.tar$/.test(other) && other !== basename(file)) {
      rmSync(join(dir, other), { force: true });
    }
  }
}

/** Options of {@link ensurePgliteDir}. */
export interface EnsurePgliteOptions {
  /** Where the migrated template is read from and, when missing, written to; none: no template. */
  cacheDir?: string;
  log?: (line: string) => void;
}

/**
 * Makes sure the PGlite data directory `dir` holds a database, creating it when it does not. A new
 * database is made in a staging folder beside `dir` — from the migrated template in `cacheDir` when
 * there is one (~0.6 s), else by initdb and every migration (~3.5 s), after which the template is
 * written for the next time — closed, and renamed into place: a start killed half-way leaves no
 * half-made database behind, only a staging folder the next start removes.
 */
export async function ensurePgliteDir(dir: string, options: EnsurePgliteOptions = {}): Promise<void> {
  if (existsSync(join(dir, 'PG_VERSION'))) return;
  if (existsSync(dir) && readdirSync(dir).length > 0) {
    throw new Error(
      `${dir} is not empty but holds no PostgreSQL data directory (no PG_VERSION): move it away, or set NETLAB_DATA_DIR to another folder`,
    );
  }
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const prefix = `${basename(dir)}.new-`;
  for (const other of readdirSync(parent)) {
    // Left by a start that was killed; one whose process still runs is still being made.
    const pid = other.startsWith(prefix) ? Number(other.slice(prefix.length)) : NaN;
    if (Number.isInteger(pid) && !isRunning(pid))
      rmSync(join(parent, other), { recursive: true, force: true });
  }
  const staging = join(parent, `${prefix}${process.pid}`);
  const templateFile = options.cacheDir ? await pgliteTemplateFile(options.cacheDir) : undefined;
  let template = templateFile ? readTemplate(templateFile) : undefined;
  const started = performance.now();
  let db: DatabaseService;
  try {
    db = await DatabaseService.open({ pgliteDir: staging, loadDataDir: template });
  } catch (error) {
    if (!template) throw error;
    options.log?.(
      `the template ${templateFile} did not load (${String(error)}); creating the database with initdb and migrations`,
    );
    rmSync(templateFile!, { force: true });
    rmSync(staging, { recursive: true, force: true });
    template = undefined;
    db = await DatabaseService.open({ pgliteDir: staging });
  }
  try {
    if (templateFile && !template) {
      await savePgliteTemplate(db, templateFile).catch((error: unknown) =>
        options.log?.(`could not keep a template of the new database in ${templateFile}: ${String(error)}`),
      );
    }
  } finally {
    await db.close();
  }
  rmSync(dir, { recursive: true, force: true }); // an empty folder at most (checked above)
  renameSync(staging, dir);
  options.log?.(
    `created the database in ${dir} (${template ? `from the template ${templateFile}` : 'initdb and migrations'}) in ${Math.round(performance.now() - started)} ms`,
  );
}

function readTemplate(file: string): Blob | undefined {
  try {
    return new Blob([readFileSync(file)]);
  } catch {
    return undefined; // none yet (or unreadable): made the long way
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // someone else's process
  }
}
