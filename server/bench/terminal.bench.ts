/**
 * Terminal gateway benchmark on the sim. Run: `node --import tsx server/bench/terminal.bench.ts [idle]`
 * (default 1000 idle terminals). Separate processes, as in production: the toolbox's sim cluster
 * (`netlab sim up`), a sim host with one cluster per 8 idle terminals (this file with `--sims N`),
 * the gateway (this file with `--gateway`: fake auth, the real exec connector) and the clients
 * (this process), so the gateway's RSS is its own.
 * - keystroke → echo on loopback: one character typed at the bash prompt of the toolbox until its
 *   echo arrives, p50/p99 over 400 keys (goal p99 ≤ 20 ms);
 * - idle terminals: N terminals connected, 8 per attempt, each attempt its own sim cluster (a sim
 *   cluster allows 32 exec streams; the gateway's own limit is lifted here); each terminal a real exec into a busybox
 *   pod's shell, so the host is not asked for N bash processes (the gateway's cost per terminal does
 *   not depend on the shell); gateway RSS per terminal after GC;
 * - flood: `yes` in the toolbox for 5 s with a client that ACKs every frame: MiB/s through the
 *   gateway and its peak RSS over the idle baseline; then the same with a generator "shell" in the
 *   gateway process (no exec, no PTY), the gateway's own ceiling.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { SimCluster } from '@netlab/infra';
import { fileURLToPath } from 'node:url';
import { KubeExecConnector } from '../src/terminal/kube-exec.connector';
import type { ShellChannel, ShellConnector, ShellHandlers } from '../src/terminal/shell-connector';
import { aUser } from '../src/terminal/testing/terminal-fakes';
import { startSimToolbox } from '../src/terminal/testing/sim-toolbox';
import { TerminalTestClient } from '../src/terminal/testing/terminal-test.client';
import { startTerminalTestServer } from '../src/terminal/testing/terminal-test.server';
import type { TerminalTarget } from '../src/terminal/terminal-target';

const MiB = 1024 * 1024;
const PER_ATTEMPT = 8;
const ATTEMPT = '0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9';
/** A terminal whose "shell" prints as fast as flow control lets it: the gateway's own ceiling. */
const GENERATOR = '2d3e4f50-6172-4839-a4b5-c6d7e8f90123';

type Target = Omit<TerminalTarget, 'access'>;
type Request = { kind: 'start'; toolbox: Target; idle: Target[] } | { kind: 'rss'; gc: boolean };

/** The gateway process: fake auth, the real exec; answers its URL and its RSS. */
async function gateway(): Promise<void> {
  const shells: Record<string, ShellConnector> = {
    bash: new KubeExecConnector(),
    sh: new KubeExecConnector(['sh']),
  };
  const connector: ShellConnector = {
    open: async (target, size, handlers) => {
      if (target.attemptId === GENERATOR) return generator(handlers);
      return shells[target.attemptId === ATTEMPT ? 'bash' : 'sh']!.open(target, size, handlers);
    },
  };
  const server = await startTerminalTestServer(connector, { maxTerminalsPerAttempt: 100_000 });
  const cookie = server.sessions.add(aUser('bench'));
  process.on('message', (m: Request) => {
    if (m.kind === 'start') {
      server.targets.attempts.set(ATTEMPT, m.toolbox);
      server.targets.attempts.set(GENERATOR, { ...m.toolbox, attemptId: GENERATOR });
      for (const t of m.idle) server.targets.attempts.set(t.attemptId, t);
      process.send!({
        kind: 'started',
        url: server.url('ATTEMPT', 'TERMINAL'),
        origin: server.origin,
        cookie,
      });
    } else {
      if (m.gc) global.gc?.();
      process.send!({ kind: 'rss', rss: process.memoryUsage().rss, shells: server.registry.list().length });
    }
  });
  process.send!({ kind: 'ready' });
}

/** A shell that prints `flood` lines in 16 KiB chunks whenever it is not paused. */
function generator(handlers: ShellHandlers): ShellChannel {
  const chunk = Buffer.from('flood\r\n'.repeat((16 * 1024) / 8 + 1).slice(0, 16 * 1024));
  let paused = false;
  let closed = false;
  const loop = (): void => {
    for (let i = 0; i < 8 && !paused && !closed; i++) handlers.output(chunk);
    if (!paused && !closed) setImmediate(loop);
  };
  setImmediate(loop);
  return {
    pendingInput: 0,
    write: () => {},
    resize: () => {},
    pause: () => (paused = true),
    resume: () => {
      if (!paused) return;
      paused = false;
      setImmediate(loop);
    },
    close: () => {
      closed = true;
      handlers.exit(0);
    },
  };
}

/** A sim host: `count` clusters in this process, each with a running busybox pod `idle`. */
async function simHost(count: number): Promise<void> {
  const kubeconfigs: string[] = [];
  for (let i = 0; i < count; i++) {
    const cluster = await SimCluster.start({ name: `idle-${i}`, nodes: 1, propagation: 'fast' });
    const kc = new KubeConfig();
    kc.loadFromString(cluster.kubeconfig);
    const api = kc.makeApiClient(CoreV1Api);
    await api.createNamespacedPod({
      namespace: 'default',
      body: {
        metadata: { name: 'idle' },
        spec: { containers: [{ name: 'idle', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
      },
    });
    while ((await api.readNamespacedPod({ name: 'idle', namespace: 'default' })).status?.phase !== 'Running')
      await new Promise((r) => setTimeout(r, 50));
    kubeconfigs.push(cluster.kubeconfig);
  }
  process.send!({ kubeconfigs });
}

function ask<T>(child: ChildProcess, message: Request, answer: string): Promise<T> {
  return new Promise((resolve) => {
    const on = (m: { kind: string }): void => {
      if (m.kind !== answer) return;
      child.off('message', on);
      resolve(m as T);
    };
    child.on('message', on);
    child.send(message);
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function main(): Promise<void> {
  const idleCount = Number(process.argv[2] ?? 1000);
  const sim = await startSimToolbox('terminal-bench');
  // Idle terminals spread over attempts, 8 each, each attempt its own sim cluster.
  const clusters = Math.ceil(idleCount / PER_ATTEMPT);
  const host = fork(fileURLToPath(import.meta.url), ['--sims', String(clusters)], {
    execArgv: ['--import', 'tsx'],
  });
  const idleTargets = await new Promise<Target[]>((resolve) =>
    host.once('message', (m: { kubeconfigs: string[] }) =>
      resolve(
        m.kubeconfigs.map((kubeconfig) => ({
          kubeconfig,
          attemptId: randomUUID(),
          ownerId: 'bench',
          namespace: 'default',
          pod: 'idle',
          container: 'idle',
        })),
      ),
    ),
  );
  const child = fork(fileURLToPath(import.meta.url), ['--gateway'], {
    execArgv: ['--import', 'tsx', '--expose-gc'],
  });
  await new Promise<void>((resolve) => child.once('message', () => resolve()));
  const base = { kubeconfig: sim.kubeconfig, namespace: sim.namespace, ownerId: 'bench' };
  const started = await ask<{ url: string; origin: string; cookie: string }>(
    child,
    {
      kind: 'start',
      toolbox: { ...base, attemptId: ATTEMPT, pod: sim.pod, container: sim.container },
      idle: idleTargets,
    },
    'started',
  );
  const url = (attempt: string, id: string): string =>
    started.url.replace('ATTEMPT', attempt).replace('TERMINAL', id);
  const rss = async (gc = true): Promise<number> =>
    (await ask<{ rss: number }>(child, { kind: 'rss', gc }, 'rss')).rss;
  const opts = { cookie: started.cookie, origin: started.origin };

  // Keystroke → echo.
  const c = await TerminalTestClient.connect(url(ATTEMPT, 'latency'), { ...opts, keepOutput: false });
  await c.hello(0, { cols: 200, rows: 50 });
  await c.waitFor('$ ', 60_000);
  const samples: number[] = [];
  for (let i = 0; i < 420; i++) {
    const key = i % 2 === 0 ? 'x' : '\x7f';
    const before = c.rendered;
    const t0 = performance.now();
    c.type(key);
    await c.until(() => c.rendered > before, 10_000, 'the echo');
    if (i >= 20) samples.push(performance.now() - t0);
  }
  samples.sort((a, b) => a - b);
  const p50 = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  console.log(
    `keystroke → echo (bash in the sim toolbox, loopback): p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms, n=${samples.length} (goal p99 ≤ 20 ms: ${p99 <= 20 ? 'met' : 'NOT met'})`,
  );

  // Idle terminals.
  const before = await rss();
  const clients: TerminalTestClient[] = [];
  const t1 = performance.now();
  for (let i = 0; i < idleCount; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, idleCount - i) }, async (_, j) => {
        const n = i + j;
        const attempt = idleTargets[Math.floor(n / PER_ATTEMPT)]!.attemptId;
        const client = await TerminalTestClient.connect(url(attempt, `t${n % PER_ATTEMPT}`), {
          ...opts,
          keepOutput: false,
        });
        await client.hello(0, { cols: 80, rows: 24 });
        return client;
      }),
    );
    clients.push(...batch);
  }
  const openSecs = (performance.now() - t1) / 1000;
  await new Promise((r) => setTimeout(r, 2000));
  const after = await rss();
  console.log(
    `${idleCount} idle terminals (exec into a busybox shell each): gateway RSS ${(before / MiB).toFixed(0)} → ${(after / MiB).toFixed(0)} MiB, ${((after - before) / idleCount / 1024).toFixed(0)} KiB per terminal; opened in ${openSecs.toFixed(1)} s`,
  );
  await Promise.all(clients.map((cl) => cl.close()));
  // Flood.
  const idleRss = await rss();
  let peak = idleRss;
  const sampler = setInterval(() => void rss(false).then((r) => (peak = Math.max(peak, r))), 100);
  c.type('yes flood\r');
  await c.until(() => c.output.includes('flood\r\nflood'), 30_000, 'the flood');
  const from = c.rendered;
  const t0 = performance.now();
  await new Promise((r) => setTimeout(r, 5000));
  const mib = (c.rendered - from) / MiB;
  const secs = (performance.now() - t0) / 1000;
  c.type('\x03');
  await c.until(() => c.output.endsWith('$ '), 60_000, 'the prompt');
  clearInterval(sampler);
  console.log(
    `flood (yes, client ACKs every frame): ${(mib / secs).toFixed(1)} MiB/s for ${secs.toFixed(1)} s; gateway RSS peak +${((peak - idleRss) / MiB).toFixed(1)} MiB over ${(idleRss / MiB).toFixed(0)} MiB (window 128 KiB, replay 256 KiB per shell)`,
  );
  await c.close();

  // The gateway's own ceiling: a generator shell, no exec.
  const g = await TerminalTestClient.connect(url(GENERATOR, 'flood'), { ...opts, keepOutput: false });
  await g.hello(0);
  const genBase = await rss();
  let gPeak = genBase;
  const gSampler = setInterval(() => void rss(false).then((r) => (gPeak = Math.max(gPeak, r))), 100);
  const g0 = performance.now();
  await new Promise((r) => setTimeout(r, 5000));
  const gMib = g.rendered / MiB;
  const gSecs = (performance.now() - g0) / 1000;
  clearInterval(gSampler);
  console.log(
    `flood through the gateway alone (generator shell, client ACKs every frame): ${(gMib / gSecs).toFixed(1)} MiB/s; gateway RSS peak +${((gPeak - genBase) / MiB).toFixed(1)} MiB; ${g.violations.length} offset errors`,
  );
  await g.close();

  console.log(
    `load average at the end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on ${cpus().length} cores`,
  );
  child.kill();
  host.kill();
  await sim.stop();
}

if (process.argv.includes('--gateway')) await gateway();
else if (process.argv.includes('--sims'))
  await simHost(Number(process.argv[process.argv.indexOf('--sims') + 1]));
else await main().then(() => process.exit(0));
