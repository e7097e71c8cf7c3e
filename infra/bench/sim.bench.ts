/**
 * Speed and size of the sim provider. Run: `npx tsx --expose-gc infra/bench/sim.bench.ts [clusters]`
 * (default 200 clusters for the memory figure). Prints one line per figure, with the target.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { request, type RequestOptions } from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { processTls } from '../src/sim/api/tls';
import { SimCluster } from '../src/sim/sim-cluster';

const run = promisify(execFile);
const MiB = 1024 * 1024;
/** The minor SimCluster reports by default, which picks the kubectl the dispatcher runs. */
const SIM_MINOR = 33;

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

let secureContext: SecureContext | undefined;

/** TLS options trusting the process CA, made once (as a long-lived client such as kubectl's transport would). */
function tlsOptions(): RequestOptions {
  secureContext ??= createSecureContext({ ca: processTls().caCert });
  return { secureContext } as RequestOptions;
}

function get(
  cluster: SimCluster,
  path: string,
  extra: RequestOptions = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${cluster.url}${path}`,
      { ...tlsOptions(), headers: { Authorization: `Bearer ${cluster.token}` }, ...extra },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function tenPodApp(): object {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'app', namespace: 'default' },
    spec: {
      replicas: 10,
      selector: { matchLabels: { app: 'app' } },
      template: {
        metadata: { labels: { app: 'app' } },
        spec: { containers: [{ name: 'web', image: 'nginx:1.25', ports: [{ containerPort: 80 }] }] },
      },
    },
  };
}

async function settle(cluster: SimCluster, pods: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const running = cluster.store
      .list('pods', 'default')
      .filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running');
    if (running.length >= pods) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the 10-pod app did not reach Running');
}

function report(name: string, value: string, target: string): void {
  console.log(`${name.padEnd(52)} ${value.padStart(12)}   (target ${target})`);
}

async function startupLatency(runtime: boolean): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    const c = await SimCluster.start({ name: `start${i}`, runtime: runtime ? undefined : false, nodes: 3 });
    const r = await get(c, '/api/v1/namespaces/default/pods');
    if (r.status !== 200) throw new Error(`unexpected ${r.status}`);
    times.push(performance.now() - t0);
    await c.stop();
  }
  return median(times.slice(1));
}

type KubectlTimes = { getPods: number; floor: number };

async function kubectlGetPods(): Promise<{
  dispatcher: KubectlTimes;
  native?: KubectlTimes;
  server: number;
}> {
  const c = await SimCluster.start({ name: 'kget', nodes: 3 });
  await get(c, '/version');
  const apply = await new Promise<number>((resolve, reject) => {
    const body = JSON.stringify(tenPodApp());
    const req = request(
      `${c.url}/apis/apps/v1/namespaces/default/deployments`,
      {
        method: 'POST',
        ...tlsOptions(),
        headers: { Authorization: `Bearer ${c.token}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
  if (apply !== 201) throw new Error(`create deployment answered ${apply}`);
  await settle(c, 10);
  const dir = mkdtempSync(join(tmpdir(), 'sim-bench-'));
  writeFileSync(join(dir, 'kubeconfig'), c.kubeconfig);
  const env = { PATH: process.env.PATH, HOME: dir, KUBECONFIG: join(dir, 'kubeconfig') };
  await run('/usr/bin/kubectl', ['get', 'pods'], { env });
  const server: number[] = [];
  const table = {
    headers: {
      Authorization: `Bearer ${c.token}`,
      Accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
    },
  };
  for (let i = 0; i < 50; i++) {
    const t0 = performance.now();
    await get(c, '/api/v1/namespaces/default/pods?limit=500', table);
    server.push(performance.now() - t0);
  }
  const dispatcher = await timeKubectl('/usr/bin/kubectl', env);
  // The dispatcher (GKE's kubectl-dispatcher) re-execs kubectl.1.<minor>; time that binary alone too,
  // since it is what a machine with a plain kubectl runs.
  const nativePath = join(dirname(realpathSync('/usr/bin/kubectl')), `kubectl.1.${SIM_MINOR}`);
  const native = existsSync(nativePath) ? await timeKubectl(nativePath, env) : undefined;
  await c.stop();
  return { dispatcher, native, server: median(server) };
}

/** Median of 20 `get pods` (checking that all 10 pods are listed) and of 10 `version --client` runs. */
async function timeKubectl(
  binary: string,
  env: NodeJS.ProcessEnv,
): Promise<{ getPods: number; floor: number }> {
  const floor: number[] = [];
  for (let i = 0; i < 10; i++) {
    const t0 = performance.now();
    await run(binary, ['version', '--client'], { env });
    floor.push(performance.now() - t0);
  }
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    const { stdout } = await run(binary, ['get', 'pods'], { env });
    times.push(performance.now() - t0);
    if (stdout.split('\n').filter(Boolean).length !== 11)
      throw new Error(`${binary} get pods did not list 10 pods`);
  }
  return { getPods: median(times), floor: median(floor) };
}

async function watchLatency(): Promise<number> {
  const c = await SimCluster.start({ name: 'watch', runtime: false });
  const times: number[] = [];
  await new Promise<void>((resolve, reject) => {
    let pending: number | undefined;
    const req = request(
      `${c.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${c.store.resourceVersion}`,
      { ...tlsOptions(), headers: { Authorization: `Bearer ${c.token}` } },
      (res) => {
        let buf = '';
        res.on('data', (d: Buffer) => {
          buf += d.toString();
          while (buf.includes('\n')) {
            buf = buf.slice(buf.indexOf('\n') + 1);
            if (pending !== undefined) times.push(performance.now() - pending);
            pending = undefined;
            if (times.length >= 50) {
              req.destroy();
              resolve();
              return;
            }
            setTimeout(write, 5);
          }
        });
      },
    );
    req.on('error', (e) => (times.length >= 50 ? resolve() : reject(e)));
    req.end();
    const write = (): void => {
      pending = performance.now();
      c.store.create('configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm${times.length}`, namespace: 'default' },
      });
    };
    setTimeout(write, 100);
  });
  await c.stop();
  return median(times);
}

async function memoryPerCluster(count: number): Promise<{ perCluster: number; rss: number }> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc (npx tsx --expose-gc infra/bench/sim.bench.ts)');
  const warm = await SimCluster.start({ name: 'warm', nodes: 3 });
  warm.store.create('apps/deployments', tenPodApp() as never);
  await settle(warm, 10);
  gc();
  const before = process.memoryUsage();
  const clusters: SimCluster[] = [];
  for (let i = 0; i < count; i++) {
    const c = await SimCluster.start({ name: `m${i}`, nodes: 3 });
    await get(c, '/api/v1/namespaces/default/deployments');
    c.store.create('apps/deployments', tenPodApp() as never);
    clusters.push(c);
  }
  for (const c of clusters) await settle(c, 10);
  await new Promise((r) => setTimeout(r, 2000));
  gc();
  gc();
  const after = process.memoryUsage();
  const perCluster = (after.heapUsed + after.external - before.heapUsed - before.external) / count;
  const rss = (after.rss - before.rss) / count;
  for (const c of clusters) await c.stop();
  await warm.stop();
  return { perCluster, rss };
}

const count = Number(process.argv[2] ?? 200);
const t0 = performance.now();
processTls();
report('per-process CA + server certificate (once)', `${(performance.now() - t0).toFixed(0)} ms`, 'n/a');
report(
  'new cluster answers its API, API only (median)',
  `${(await startupLatency(false)).toFixed(1)} ms`,
  '≤ 50 ms',
);
report(
  'new 3-node cluster with runtime answers (median)',
  `${(await startupLatency(true)).toFixed(1)} ms`,
  '≤ 50 ms',
);
const get10 = await kubectlGetPods();
if (get10.native) {
  report(
    `kubectl.1.${SIM_MINOR} get pods end to end, 10 pods (median)`,
    `${get10.native.getPods.toFixed(1)} ms`,
    '≤ 50 ms',
  );
  report(
    `  kubectl.1.${SIM_MINOR} version --client, no server`,
    `${get10.native.floor.toFixed(1)} ms`,
    'binary floor',
  );
}
report(
  'dispatcher kubectl get pods end to end (median)',
  `${get10.dispatcher.getPods.toFixed(1)} ms`,
  '≤ 50 ms',
);
report(
  '  dispatcher kubectl version --client, no server',
  `${get10.dispatcher.floor.toFixed(1)} ms`,
  'binary floor',
);
report('  the same Table GET from Node (median)', `${get10.server.toFixed(1)} ms`, 'API part');
report('watch event after the write (median)', `${(await watchLatency()).toFixed(2)} ms`, '≤ 10 ms');
const mem = await memoryPerCluster(count);
report(
  `heap+external per idle 3-node cluster, 10-pod app (${count})`,
  `${(mem.perCluster / MiB).toFixed(2)} MiB`,
  '≤ 5 MiB',
);
report(`RSS per idle 3-node cluster, 10-pod app (${count})`, `${(mem.rss / MiB).toFixed(2)} MiB`, '≤ 5 MiB');
process.exit(0);
