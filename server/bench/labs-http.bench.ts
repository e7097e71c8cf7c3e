/**
 * Catalog HTTP benchmark. Run: `node --import tsx server/bench/labs-http.bench.ts [seconds] [rate]`
 * (default 20 s at 200 requests/s). For each database — embedded PGlite, then a throwaway PostgreSQL
 * (NETLAB_TEST_DATABASE_URL, else Debian's binaries) — it starts the real server in a child process
 * (every module, JSON request logs at info to /dev/null), signs a learner in, and drives an
 * authenticated `GET /api/labs` with autocannon at a fixed rate on loopback (10 connections, after a
 * 3 s warm-up), printing p50/p90/p99/max latency and the server's CPU time per request. Goal: p99
 * ≤ 20 ms on both. The sim warm pool is off (NETLAB_POOL=off) unless NETLAB_POOL is set: its fill
 * after start-up is not the catalog's cost. BENCH_PROF=<dir> writes a CPU profile of the server.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const SELF = fileURLToPath(import.meta.url);
const EMAIL = 'bench-learner@example.com';
const PASSWORD = 'bench password 1';

if (process.argv[2] === '--server') await serve(process.argv[3]);
else await main(Number(process.argv[2] ?? 20), Number(process.argv[3] ?? 200));

async function main(seconds: number, rate: number): Promise<void> {
  console.log(
    `GET /api/labs as a signed-in learner, ${rate} requests/s for ${seconds} s (load ${loadavg()[0]!.toFixed(1)})`,
  );
  const p99s: string[] = [];
  let met = true;
  const record = (label: string, p99: number, failed: number): void => {
    p99s.push(`${label} p99 ${p99} ms`);
    met &&= p99 <= 20 && failed === 0;
  };
  record('pglite', ...(await run('pglite', undefined, seconds, rate)));
  const postgres = await startPostgres();
  if (!postgres) {
    console.log('postgresql: SKIPPED (no NETLAB_TEST_DATABASE_URL and no Debian postgresql binaries)');
    met = false;
  } else {
    try {
      record('postgresql', ...(await run('postgresql', postgres.url, seconds, rate)));
    } finally {
      await postgres.stop();
    }
  }
  console.log(
    `summary: ${p99s.join(', ')} at ${rate} requests/s (load ${loadavg()[0]!.toFixed(1)}; goal p99 ≤ 20 ms on both databases: ${met ? 'met' : 'NOT met'})`,
  );
}

async function run(
  label: string,
  databaseUrl: string | undefined,
  seconds: number,
  rate: number,
): Promise<[p99: number, failed: number]> {
  const dataDir = mkdtempSync(join(tmpdir(), 'netlab-bench-'));
  const child = fork(SELF, ['--server', dataDir], {
    env: { ...process.env, ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { DATABASE_URL: '' }) },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    execArgv: [
      '--import',
      'tsx',
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROF] : []),
    ],
    cwd: fileURLToPath(new URL('..', import.meta.url)),
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('message', (m) => resolve(String(m)));
      child.once('exit', (code) => reject(new Error(`the server exited with ${code}`)));
    });
    const cookie = await signIn(url);
    const options = { url: `${url}/api/labs`, headers: { cookie }, connections: 10, overallRate: rate };
    await autocannon({ ...options, duration: 3 });
    const cpuBefore = await cpuOf(child);
    const bucketsBefore = await serverBuckets(url);
    const result = await autocannon({ ...options, duration: seconds });
    const cpuMs = (await cpuOf(child)) - cpuBefore;
    const inServer = serverP99(bucketsBefore, await serverBuckets(url));
    const l = result.latency;
    const non2xx = result.non2xx + result.errors;
    console.log(
      `${label}: p50 ${l.p50} ms, p90 ${l.p90} ms, p99 ${l.p99} ms, max ${l.max} ms; ` +
        `${result.requests.average} req/s, ${result.requests.total} requests, ${non2xx} failed ` +
        `; server CPU ${(cpuMs / result.requests.total).toFixed(2)} ms/request, p99 inside the server ${inServer} ` +
        `(goal p99 ≤ 20 ms: ${l.p99 <= 20 && non2xx === 0 ? 'met' : 'NOT met'})`,
    );
    return [l.p99, non2xx];
  } finally {
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * The server's own latency histogram for GET /api/labs (`http_request_duration_seconds`, from the
 * request's first middleware to the response's end): cumulative counts by upper bound in seconds.
 */
async function serverBuckets(url: string): Promise<Map<number, number>> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const buckets = new Map<number, number>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('http_request_duration_seconds_bucket{') || !line.includes('route="/api/labs"'))
      continue;
    if (!line.includes('status="200"')) continue;
    const le = /le="([^"]+)"/.exec(line)![1]!;
    buckets.set(le === '+Inf' ? Infinity : Number(le), Number(line.split(' ').pop()));
  }
  return buckets;
}

/** "≤ 5 ms": the histogram bound under which 99 % of the run's requests were answered inside the server. */
function serverP99(before: Map<number, number>, after: Map<number, number>): string {
  const total = (after.get(Infinity) ?? 0) - (before.get(Infinity) ?? 0);
  for (const le of [...after.keys()].sort((a, b) => a - b)) {
    if ((after.get(le) ?? 0) - (before.get(le) ?? 0) >= 0.99 * total) {
      return le === Infinity ? '> 10 s' : `≤ ${le * 1000} ms`;
    }
  }
  return 'unknown';
}

async function signIn(url: string): Promise<string> {
  const csrf = await fetch(`${url}/api/auth/csrf`);
  const pre = csrf.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const { token } = (await csrf.json()) as { token: string };
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: pre, 'x-csrf-token': token },
    body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  if (login.status !== 200) throw new Error(`sign-in failed: ${login.status} ${await login.text()}`);
  return login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
}

/** The server process's CPU time so far (user + system), in ms. */
function cpuOf(child: ChildProcess): Promise<number> {
  return new Promise((resolve) => {
    child.once('message', (m) => resolve(Number(m)));
    child.send('cpu');
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** The child: the real server on a free port with one learner; sends its URL to the parent. */
async function serve(dataDir: string | undefined): Promise<void> {
  const { loadConfig } = await import('../src/config/config.loader');
  const { startServer } = await import('../src/bootstrap');
  const { PasswordHasher } = await import('../src/auth/password-hasher');
  const { UserRepository } = await import('../src/auth/user.repository');
  // The sim warm pool is off unless NETLAB_POOL says otherwise: its fill right after start-up
  // (sim hosts, toolbox TLS calls) would be measured instead of the catalog.
  const config = loadConfig({
    ...process.env,
    PORT: '0',
    NETLAB_DATA_DIR: dataDir,
    NETLAB_POOL: process.env.NETLAB_POOL ?? 'off',
  });
  const server = await startServer(config, { logLevel: 'info' });
  const { DatabaseService } = await import('../src/database/database.service');
  const users = new UserRepository(server.app.get(DatabaseService));
  await users.create({
    email: EMAIL,
    displayName: 'Bench',
    passwordHash: await new PasswordHasher().hash(PASSWORD),
    role: 'learner',
  });
  process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send!(String((user + system) / 1000));
  });
  process.send!(server.url);
}

async function startPostgres(): Promise<{ url: string; stop: () => Promise<void> } | undefined> {
  const { PostgresCluster, findPostgresBinDir } = await import('../src/database/testing/postgres-cluster');
  let cluster: Awaited<ReturnType<typeof PostgresCluster.start>> | undefined;
  const adminUrl = process.env.NETLAB_TEST_DATABASE_URL;
  if (!adminUrl) {
    const binDir = findPostgresBinDir();
    if (!binDir) return undefined;
    cluster = await PostgresCluster.start(binDir);
  }
  const admin = adminUrl ?? cluster!.adminUrl;
  const database = `netlab_bench_${randomBytes(4).toString('hex')}`;
  await adminQuery(admin, `CREATE DATABASE ${database}`);
  const url = new URL(admin);
  url.pathname = `/${database}`;
  return {
    url: url.toString(),
    stop: async () => {
      await adminQuery(admin, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      cluster?.stop();
    },
  };
}

async function adminQuery(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
