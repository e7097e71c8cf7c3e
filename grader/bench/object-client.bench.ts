// Benchmark: N GETs against a sim cluster's API, one after another and 8 at a time, with a new
// agent (TLS handshake) per request as client-node and the old RawObjectApi do, and with the
// grader's keep-alive ClusterConnection. Run: npx tsx grader/bench/object-client.bench.ts [requests]
import { request, type RequestOptions } from 'node:https';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
// eslint-disable-next-line no-restricted-imports -- a benchmark needs a cluster; the grader itself never imports infra
import { createSimProvider } from '@netlab/infra';
import { ClusterConnection } from '../src';
import { connectedApiClient } from '../src/kube/client-node-api';

const REQUESTS = Number(process.argv[2] ?? 200);
const PATH = '/api/v1/namespaces/kube-system/pods';
const provider = createSimProvider();

/** The old RawObjectApi.send: the kubeconfig's options, hence a new https.Agent, per request. */
async function getWithNewAgent(kc: KubeConfig): Promise<void> {
  const options: RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await kc.applyToHTTPSOptions(options);
  await new Promise<void>((resolve, reject) => {
    const req = request(new URL(PATH, kc.getCurrentCluster()!.server), options, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Requests per second for `total` calls, `parallel` in flight at a time. */
async function rate(total: number, parallel: number, call: () => Promise<unknown>): Promise<number> {
  await call(); // warm-up
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next++ < total) await call();
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return Math.round(total / ((performance.now() - started) / 1000));
}

const cluster = await provider.create({ name: 'bench-object-client', nodes: 2, cni: true });
try {
  const kc = new KubeConfig();
  kc.loadFromString(cluster.kubeconfig);
  const connection = new ClusterConnection(kc);
  const pooledCore = connectedApiClient(kc, connection, CoreV1Api);
  const plainCore = kc.makeApiClient(CoreV1Api);
  const rows: [string, () => Promise<unknown>][] = [
    ['raw GET, new agent per request (before)', () => getWithNewAgent(kc)],
    ['raw GET, ClusterConnection (after)', () => connection.send({ method: 'GET', path: PATH })],
    [
      'CoreV1Api list, client-node default (before)',
      () => plainCore.listNamespacedPod({ namespace: 'kube-system' }),
    ],
    [
      'CoreV1Api list, ClusterConnection (after)',
      () => pooledCore.listNamespacedPod({ namespace: 'kube-system' }),
    ],
  ];
  console.log(`${REQUESTS} GETs of ${PATH} on a sim cluster (req/s)`);
  console.log('client                                          sequential  8 in flight');
  for (const [name, call] of rows) {
    const sequential = await rate(REQUESTS, 1, call);
    const parallel = await rate(REQUESTS, 8, call);
    console.log(`${name.padEnd(48)}${String(sequential).padEnd(12)}${parallel}`);
  }
  connection.dispose();
} finally {
  await provider.delete(cluster.name);
}
