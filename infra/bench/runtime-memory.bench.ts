// Memory of idle sim clusters: N clusters (3 nodes, a 10-pod app behind a Service), heap per cluster.
// Run: node --expose-gc --import tsx infra/bench/runtime-memory.bench.ts [clusters=200] [--with-api]
// --with-api starts whole SimClusters (HTTPS API server + runtime) instead of runtimes over a store.
import { ObjectStore } from '../src/sim/store/object-store';
import { createClusterRuntime, systemClock, type SimClusterRuntime } from '../src/sim/runtime';
import { SimCluster } from '../src/sim/sim-cluster';

const COUNT = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? '200');
const WITH_API = process.argv.includes('--with-api');
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('Run with node --expose-gc --import tsx infra/bench/runtime-memory.bench.ts');
  process.exit(2);
}

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

function app(store: ObjectStore): void {
  store.create('apps/deployments', {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas: 10,
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'web',
              image: 'nginx:1.27',
              ports: [{ containerPort: 80 }],
              readinessProbe: { httpGet: { path: '/', port: 80 }, periodSeconds: 10 },
            },
          ],
        },
      },
    },
  });
  store.create('services', {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      clusterIP: '10.96.20.20',
      clusterIPs: ['10.96.20.20'],
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
    },
  });
}

async function main(): Promise<void> {
  const before = heap();
  const started = Date.now();
  const runtimes: SimClusterRuntime[] = [];
  const clusters: SimCluster[] = [];
  for (let i = 0; i < COUNT && WITH_API; i++) {
    const c = await SimCluster.start({ name: `c${i}` });
    app(c.store);
    clusters.push(c);
    runtimes.push((c as unknown as { runtime: SimClusterRuntime }).runtime);
  }
  for (let i = 0; i < COUNT && !WITH_API; i++) {
    const store = new ObjectStore();
    const rt = createClusterRuntime(
      store,
      {
        name: `c${i}`,
        nodes: 3,
        cni: true,
        networkPolicy: true,
        kubeconfig: 'apiVersion: v1\nkind: Config\n',
      },
      { timing: { pullMs: 0, startMs: 0, stopMs: 0 } },
    );
    rt.start();
    app(store);
    runtimes.push(rt);
  }
  for (const rt of runtimes) await rt.settle();
  // Let the first readiness probes run so every pod is Ready, then settle again.
  await new Promise((r) => setTimeout(r, 1500));
  for (const rt of runtimes) await rt.settle();
  const ready = runtimes.filter(
    (rt) =>
      rt.store
        .list('pods', 'default')
        .filter((p) =>
          (p.status as { conditions?: { type: string; status: string }[] })?.conditions?.some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ),
        ).length === 10,
  ).length;
  const after = heap();
  const perCluster = (after - before) / COUNT / 1024 / 1024;
  const pods = runtimes[0]!.store.list('pods').length;
  console.log(
    `${WITH_API ? 'SimClusters (HTTPS API + runtime)' : 'runtimes over a store'}: ${COUNT} (3 nodes, ${pods} pods each incl. kube-system), all app pods ready in ${ready}/${COUNT}`,
  );
  console.log(
    `heap used: ${((after - before) / 1024 / 1024).toFixed(1)} MiB total, ${perCluster.toFixed(2)} MiB per cluster`,
  );
  console.log(
    `started and settled in ${Date.now() - started} ms; shared timers pending: ${systemClock.pending}`,
  );
  const cpu = process.cpuUsage();
  const idleMs = 10_000;
  await new Promise((r) => setTimeout(r, idleMs));
  const used = process.cpuUsage(cpu);
  console.log(
    `idle CPU over ${idleMs / 1000} s (probes every 10 s): ${(((used.user + used.system) / 1000 / idleMs) * 100).toFixed(1)}% of one core`,
  );
  const one = Date.now();
  const store = new ObjectStore();
  const rt = createClusterRuntime(
    store,
    { name: 'one', nodes: 3, cni: true, networkPolicy: true, kubeconfig: '' },
    { timing: { pullMs: 0, startMs: 0, stopMs: 0 } },
  );
  rt.start();
  await rt.settle();
  console.log(`one more cluster bootstrapped and settled in ${Date.now() - one} ms`);
  await rt.stop();
  if (WITH_API) for (const c of clusters) await c.stop();
  else for (const rt of runtimes) await rt.stop();
}

void main();
