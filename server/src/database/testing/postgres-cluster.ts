import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's PostgreSQL server binaries, newest version first; undefined when none is installed. */
export function findPostgresBinDir(root = '/usr/lib/postgresql'): string | undefined {
  if (!existsSync(root)) return undefined;
  return readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a))
    .map((v) => join(root, v, 'bin'))
    .find((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

/**
 * A throwaway PostgreSQL cluster for tests: its own data directory under the temp dir, a free port on
 * 127.0.0.1, no fsync, trust authentication; `stop()` removes it. PostgreSQL refuses to run as root,
 * so under root it runs as the `postgres` user Debian's package creates.
 */
export class PostgresCluster {
  private constructor(
    readonly adminUrl: string,
    private readonly dir: string,
    private readonly binDir: string,
  ) {}

  static async start(binDir: string): Promise<PostgresCluster> {
    const template = ensureTemplate(binDir);
    const dir = mkdtempSync(join(tmpdir(), 'netlab-test-pg-'));
    cpSync(template, dir, { recursive: true });
    asPostgres('chown', ['-R', 'postgres:postgres', dir], true);
    const port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    run(binDir, 'pg_ctl', ['-D', dir, '-o', opts, '-l', join(dir, 'server.log'), '-w', '-t', '120', 'start']);
    const cluster = new PostgresCluster(`postgresql://postgres@127.0.0.1:${port}/postgres`, dir, binDir);
    process.once('exit', () => cluster.stop());
    return cluster;
  }

  /** Stops the server at once and deletes its files; safe to call twice. */
  stop(): void {
    if (!existsSync(this.dir)) return;
    spawnSync(...command(this.binDir, 'pg_ctl', ['-D', this.dir, '-m', 'immediate', '-w', 'stop']), {
      stdio: 'ignore',
    });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const isRoot = () => process.getuid?.() === 0;

function command(binDir: string, program: string, args: string[]): [string, string[]] {
  const path = join(binDir, program);
  return isRoot() ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
}

function run(binDir: string, program: string, args: string[]): void {
  const [cmd, argv] = command(binDir, program, args);
  try {
    execFileSync(cmd, argv, { stdio: 'pipe' });
  } catch (error) {
    const e = error as { stderr?: Buffer; stdout?: Buffer; message: string };
    throw new Error(
      `${cmd} ${argv.join(' ')} failed: ${e.stderr?.toString() || e.stdout?.toString() || e.message}`,
      { cause: error },
    );
  }
}

function asPostgres(cmd: string, args: string[], onlyAsRoot: boolean): void {
  if (onlyAsRoot && !isRoot()) return;
  execFileSync(cmd, args, { stdio: 'pipe' });
}

/** An initdb'd data directory, made once per machine and version, copied for every cluster. */
function ensureTemplate(binDir: string): string {
  const version = binDir.split('/').at(-2) ?? 'pg';
  const template = join(
    tmpdir(),
    `netlab-test-pg-template-${version}-${isRoot() ? 'root' : process.getuid?.()}`,
  );
  if (existsSync(join(template, 'PG_VERSION'))) return template;
  const staging = mkdtempSync(join(tmpdir(), 'netlab-test-pg-initdb-'));
  asPostgres('chown', ['postgres:postgres', staging], true);
  run(binDir, 'initdb', [
    '-D',
    staging,
    '-U',
    'postgres',
    '-A',
    'trust',
    '-E',
    'UTF8',
    '--no-sync',
    '--locale=C',
  ]);
  try {
    renameSync(staging, template); // atomic: a concurrent maker's rename wins, this copy is dropped
  } catch {
    rmSync(staging, { recursive: true, force: true });
  }
  return template;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
