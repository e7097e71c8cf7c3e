/**
 * Start-up speed of the compiled entry points. Run: `node --import tsx server/bench/start.bench.ts [runs]`
 * (default 5 runs each; prints the median and the fastest, with the target):
 * - `npx netlab sim up` until it prints its kubeconfig line (target ≤ 1 s), compiled and through tsx;
 * - `npm start` until `/readyz` answers ok on PGlite (target ≤ 3 s), with an existing data directory
 *   and with a fresh one (first start: creates and migrates the database);
 * - compiling the bundle from scratch.
 * The build must be fresh first (the bench runs `npm run -w @netlab/server compile`).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: plain JavaScript launcher without declarations
import { ensureBuilt } from '../launcher/compile.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RUNS = Number(process.argv[2] ?? 5);

function summary(label: string, ms: number[], targetMs?: number): void {
  const s = [...ms].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)]!;
  const target = targetMs ? ` (target ≤ ${targetMs} ms: ${median <= targetMs ? 'met' : 'NOT met'})` : '';
  console.log(
    `${label}: median ${median.toFixed(0)} ms, fastest ${s[0]!.toFixed(0)} ms, n=${s.length}${target}`,
  );
}

/** Spawns `argv` and resolves with the ms until `ready()` says so, then stops the process. */
function timeUntil(
  argv: string[],
  env: NodeJS.ProcessEnv,
  ready: (child: ChildProcess, output: () => string) => Promise<void>,
): Promise<number> {
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return ready(child, () => out).then(
    async () => {
      const ms = performance.now() - started;
      cpuTimes.push(groupCpuMs(child.pid!));
      killGroup(child.pid!, 'SIGTERM'); // the process group: npm and the server under it
      await exited;
      // The server outlives npm while it shuts down; the next start must not open its PGlite.
      await poll(() => groupStats(child.pid!).length === 0, 60_000).catch(() =>
        killGroup(child.pid!, 'SIGKILL'),
      );
      return ms;
    },
    async (error: unknown) => {
      killGroup(child.pid!, 'SIGKILL');
      throw new Error(`${argv.join(' ')}: ${String(error)}\n${out}`);
    },
  );
}

/** Signals a process group; one that has already exited (ESRCH) is fine. */
function killGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** The /proc/<pid>/stat fields after the command name of every live process in a process group. */
function groupStats(pgid: number): string[][] {
  const stats: string[][] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      // state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt utime stime ...
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
        .replace(/^.*\) /, '')
        .split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') stats.push(fields);
    } catch {
      // the process ended meanwhile
    }
  }
  return stats;
}

/** CPU time (user + system) used so far by every process of a process group. */
function groupCpuMs(pgid: number): number {
  const ticks = groupStats(pgid).reduce((sum, f) => sum + Number(f[11]) + Number(f[12]), 0);
  return ticks * 10; // USER_HZ is 100 on Linux
}

/** CPU times of the last measurements (`timeUntil` pushes one per run); `takeCpu` empties it. */
const cpuTimes: number[] = [];
function takeCpu(): number[] {
  return cpuTimes.splice(0);
}

async function poll(check: () => Promise<boolean> | boolean, timeoutMs = 60_000): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('timed out');
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

async function readyz(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/readyz`);
    return res.ok && ((await res.json()) as { status?: string }).status === 'ok';
  } catch {
    return false;
  }
}

async function simUp(env: NodeJS.ProcessEnv): Promise<number> {
  return timeUntil(['npx', 'netlab', 'sim', 'up'], env, (_c, out) =>
    poll(() => out().includes('kubeconfig:')),
  );
}

async function npmStart(dataDir: string, timeoutMs = 300_000): Promise<number> {
  const port = await freePort();
  return timeUntil(['npm', 'start'], { PORT: String(port), NETLAB_DATA_DIR: dataDir }, () =>
    poll(() => readyz(port), timeoutMs),
  );
}

console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} on ${ROOT}`,
);
execFileSync('npm', ['run', '-s', '-w', '@netlab/server', 'compile'], { cwd: ROOT, stdio: 'ignore' });

const compileMs: number[] = [];
for (let i = 0; i < Math.min(RUNS, 3); i++) {
  const cacheDir = mkdtempSync(join(tmpdir(), 'netlab-bench-build-'));
  const t = performance.now();
  await ensureBuilt({ cacheDir, log: () => {} });
  compileMs.push(performance.now() - t);
  rmSync(cacheDir, { recursive: true, force: true });
}
summary('compile the bundle (first start or sources changed)', compileMs);

const compiled: number[] = [];
const compiledCpu: number[] = [];
const tsx: number[] = [];
const tsxCpu: number[] = [];
for (let i = 0; i < RUNS; i++) {
  compiled.push(await simUp({}));
  compiledCpu.push(...takeCpu());
  tsx.push(await simUp({ NETLAB_RUN_TS: '1' }));
  tsxCpu.push(...takeCpu());
}
summary('npx netlab sim up → kubeconfig line, compiled', compiled, 1000);
summary('  CPU time of that (npx + node)', compiledCpu);
summary('npx netlab sim up → kubeconfig line, through tsx (before)', tsx);
summary('  CPU time of that (npx + node)', tsxCpu);

const existing = mkdtempSync(join(tmpdir(), 'netlab-bench-data-'));
await npmStart(existing, 600_000); // creates and migrates the database; builds the web UI if stale
takeCpu();
const warm: number[] = [];
const warmCpu: number[] = [];
const fresh: number[] = [];
const freshCpu: number[] = [];
for (let i = 0; i < RUNS; i++) {
  warm.push(await npmStart(existing));
  warmCpu.push(...takeCpu());
  const dir = mkdtempSync(join(tmpdir(), 'netlab-bench-data-'));
  fresh.push(await npmStart(dir));
  freshCpu.push(...takeCpu());
  rmSync(dir, { recursive: true, force: true });
}
rmSync(existing, { recursive: true, force: true });
summary('npm start → /readyz ok, PGlite, existing data dir', warm, 3000);
summary('  CPU time of that (npm + server)', warmCpu);
summary('npm start → /readyz ok, PGlite, fresh data dir (creates + migrates)', fresh);
summary('  CPU time of that (npm + server)', freshCpu);
