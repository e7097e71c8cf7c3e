/**
 * What a Pod's request to the API server costs in the sim, end to end through the data plane
 * (Service NAT to kube-apiserver's :6443, TLS gate, in-memory HTTP, authentication, RBAC, the API's
 * dispatch): anonymous /version, a ServiceAccount listing pods (RBAC allowed through a RoleBinding),
 * and the same refused (403).
 * Run: `npx tsx infra/bench/in-cluster-api.bench.ts`.
 */
import { issueServiceAccountToken } from '../src/sim/api/auth/service-account-token';
import { SimCluster } from '../src/sim/sim-cluster';
import { createClusterRuntime, type SimClusterRuntime } from '../src/sim/runtime';

let rt: SimClusterRuntime | undefined;
const cluster = await SimCluster.start({
  name: 'bench',
  minor: 33,
  nodes: 2,
  propagation: 'fast',
  runtime: (store, options) => (rt = createClusterRuntime(store, options)),
});
const { store } = cluster;
store.create('pods', {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'client', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'busybox:1.36', command: ['sleep', '3600'] }] },
});
for (let i = 0; i < 20; i++)
  store.create('configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: `cm-${i}`, namespace: 'default' },
  });
await new Promise((r) => setTimeout(r, 3000));
const sa = store.get('serviceaccounts', 'default', 'default')!;
const token = issueServiceAccountToken(
  { namespace: 'default', serviceAccount: { name: 'default', uid: sa.metadata.uid } },
  Date.now(),
);
const RBAC = 'rbac.authorization.k8s.io';
store.create(`${RBAC}/roles`, {
  apiVersion: `${RBAC}/v1`,
  kind: 'Role',
  metadata: { name: 'pods', namespace: 'default' },
  rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }],
});
store.create(`${RBAC}/rolebindings`, {
  apiVersion: `${RBAC}/v1`,
  kind: 'RoleBinding',
  metadata: { name: 'pods', namespace: 'default' },
  roleRef: { apiGroup: RBAC, kind: 'Role', name: 'pods' },
  subjects: [{ kind: 'ServiceAccount', name: 'default' }],
});

const from = { namespace: 'default', name: 'client' };
async function time(label: string, url: string, headers: Record<string, string>, expect: number, runs = 300) {
  const start = performance.now();
  for (let i = 0; i < runs; i++) {
    const answer = await rt!.dataplane.http(from, { method: 'GET', url, headers });
    if (answer.kind !== 'response' || answer.status !== expect)
      throw new Error(`${label}: ${JSON.stringify(answer)}`);
  }
  console.log(
    `${label.padEnd(52)} ${(((performance.now() - start) * 1000) / runs).toFixed(0).padStart(6)} µs`,
  );
}

// Warm-up: the first requests load the API's type models and JIT the path.
for (let i = 0; i < 50; i++)
  await rt!.dataplane.http(from, { method: 'GET', url: 'https://kubernetes.default/version', headers: {} });
const auth = { authorization: `Bearer ${token}`, 'user-agent': 'curl/8.5.0' };
await time(
  'anonymous GET /version',
  'https://kubernetes.default/version',
  { 'user-agent': 'curl/8.5.0' },
  200,
);
await time(
  'SA token: list pods (RoleBinding allows)',
  'https://10.96.0.1/api/v1/namespaces/default/pods',
  auth,
  200,
);
await time(
  'SA token: list configmaps (403)',
  'https://10.96.0.1/api/v1/namespaces/default/configmaps',
  auth,
  403,
);
await cluster.stop();
