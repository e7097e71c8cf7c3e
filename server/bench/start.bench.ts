/**
 * Start-up speed of the compiled entry points. Run: `node --import tsx server/bench/start.bench.ts [runs]`
 * (default 5 runs each; prints the median and the fastest, with the target):
 * - `npx netlab sim up` until it prints its kubeconfig line (target ≤ 1 s), compiled and through tsx;
 * - `npm start` until `/readyz` answers ok on PGlite (target ≤ 3 s), with an existing data directory
 *   (with the default sim warm pool, and with NETLAB_POOL=off) and with a fresh one (first start:
 *   creates and migrates the database); then how long the server takes to stop on SIGTERM;
 * - compiling the bundle from scratch.
 * The bundle and the web UI are brought up to date before each timed start. A start that exits
 * early, is not ready within 2 minutes, or does not stop within 40 s of SIGTERM fails the bench with
 * its output instead of hanging.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// @ts-expect-error: plain JavaScript launcher without declarations
import { ensureBuilt } from '../launcher/compile.js';
import { ensureWebBuilt } from '../src/web-app/web-build';

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

/** How long a stopped process group may take to exit (the server drains 5 s, then its hooks get 15 s). */
const STOP_TIMEOUT_MS = 40_000;

/**
 * Spawns `argv` and resolves with the ms until `ready()` says so, then stops the process group with
 * SIGTERM and waits for every process of it to exit. Fails with the output (never hangs) when the
 * process exits before it is ready, is not ready within `readyTimeoutMs`, or does not stop within
 * STOP_TIMEOUT_MS of SIGTERM.
 */
async function timeUntil(
  argv: string[],
  env: NodeJS.ProcessEnv,
  ready: (output: () => string) => Promise<boolean> | boolean,
  readyTimeoutMs: number,
): Promise<number> {
  const started = performance.now();
  const child = spawn(argv[0]!, argv.slice(1), {
    cwd: ROOT,
    env: { ...process.env, ...env },
    detached: true,
  });
  const command = argv.join(' ');
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d));
  child.stderr!.on('data', (d: Buffer) => (out += d));
  let exitCode: string | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      exitCode = signal ?? String(code);
      resolve();
    }),
  );
  const fail = (why: string): never => {
    killGroup(child.pid!, 'SIGKILL');
    throw new Error(`${command}: ${why}; its output (last 3000 characters):\n${out.slice(-3000)}`);
  };
  const readyBy = performance.now() + readyTimeoutMs;
  while (!(await ready(() => out))) {
    if (exitCode !== undefined) fail(`exited (${exitCode}) before it was ready`);
    if (performance.now() > readyBy) fail(`not ready within ${readyTimeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const ms = performance.now() - started;
  cpuTimes.push(groupCpuMs(child.pid!));
  const stopping = performance.now();
  killGroup(child.pid!, 'SIGTERM'); // the process group: npm and the server under it
  await exited;
  // The server outlives npm while it shuts down; the next start must not open its PGlite.
  const stopBy = performance.now() + STOP_TIMEOUT_MS;
  while (groupStats(child.pid!).length > 0) {
    if (performance.now() > stopBy) {
      const left = groupStats(child.pid!).length;
      fail(
        `${left} process(es) still running ${STOP_TIMEOUT_MS / 1000} s after SIGTERM (its shutdown hangs; killed them)`,
      );
    }
    await new Promise((r) => setTimeout(r, 10));
  }
  stopTimes.push(performance.now() - stopping);
  return ms;
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
/** SIGTERM → every process of the group gone, per run. */
const stopTimes: number[] = [];

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
  return timeUntil(['npx', 'netlab', 'sim', 'up'], env, (out) => out().includes('kubeconfig:'), 60_000);
}

/**
 * `npm start` → /readyz ok. The bundle and the web UI are brought up to date first (other people
 * may be editing sources), so a measured start does not include a compile or a web build.
 */
async function npmStart(dataDir: string, env: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<number> {
  await ensureBuilt({ log: () => {} });
  ensureWebBuilt();
  const port = await freePort();
  return timeUntil(
    ['npm', 'start'],
    { PORT: String(port), NETLAB_DATA_DIR: dataDir, ...env },
    () => readyz(port),
    timeoutMs,
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

console.log(`building the web UI if stale: ${ensureWebBuilt()}`);
const existing = mkdtempSync(join(tmpdir(), 'netlab-bench-data-'));
await npmStart(existing); // creates and migrates the database
takeCpu();
stopTimes.splice(0);
const warm: number[] = [];
const warmCpu: number[] = [];
const off: number[] = [];
const offCpu: number[] = [];
const fresh: number[] = [];
const freshCpu: number[] = [];
for (let i = 0; i < RUNS; i++) {
  warm.push(await npmStart(existing));
  warmCpu.push(...takeCpu());
  off.push(await npmStart(existing, { NETLAB_POOL: 'off' }));
  offCpu.push(...takeCpu());
  const dir = mkdtempSync(join(tmpdir(), 'netlab-bench-data-'));
  fresh.push(await npmStart(dir));
  freshCpu.push(...takeCpu());
  rmSync(dir, { recursive: true, force: true });
}
rmSync(existing, { recursive: true, force: true });
summary('npm start → /readyz ok, PGlite, existing data dir (default sim pool)', warm, 3000);
summary('  CPU time of that (npm + server)', warmCpu);
summary('npm start → /readyz ok, PGlite, existing data dir, NETLAB_POOL=off', off, 3000);
summary('  CPU time of that (npm + server)', offCpu);
summary('npm start → /readyz ok, PGlite, fresh data dir (creates + migrates)', fresh);
summary('  CPU time of that (npm + server)', freshCpu);
summary('SIGTERM → every process of npm start gone', stopTimes);
console.log(
  `load average at the end ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
