import { KubeConfig } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { ExecResult } from '../kube/kube-client';
import { FakeKubeClient } from '../testing/fake-kube-client';
import { labWith } from '../testing/lab-factory';
import { checkCluster } from './check-cluster';
import { unmetNeeds } from './lab-needs';

const kc = new KubeConfig();
kc.loadFromOptions({
  clusters: [{ name: 'c', server: 'https://10.0.0.1:6443' }],
  users: [{ name: 'u', token: 't' }],
  contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
  currentContext: 'x',
});
const fast = {
  enforcementTimeoutMs: 600,
  podStartTimeoutMs: 200,
  cleanupTimeoutMs: 200,
  connectTimeoutMs: 100,
};
const resolves: ExecResult = {
  exitCode: 0,
  stdout:
    'Server:\t10.96.0.10\nAddress:\t10.96.0.10#53\n\nName:\tkubernetes.default.svc.cluster.local\nAddress: 10.96.0.1\n',
  stderr: '',
};
const dnsTimeout: ExecResult = { exitCode: 124, stdout: '', stderr: 'exec timed out after 2000 ms' };
const ok: ExecResult = { exitCode: 0, stdout: 'HTTP/1.1 200 OK\r\n\r\nnetlab\n', stderr: '' };
const dropped: ExecResult = {
  exitCode: 28,
  stdout: '',
  stderr: 'curl: (28) Connection timed out after 100 milliseconds',
};

/** A cluster whose CNI enforces policies (or not) and whose DNS answers (or not). */
function cluster(opts: { enforces?: boolean; dns?: boolean } = {}): FakeKubeClient {
  const client = new FakeKubeClient();
  client.onExec = (command) => {
    if (command[0] === 'nslookup') return opts.dns === false ? dnsTimeout : resolves;
    const denied = client.policies.some((p) => p.metadata?.name === 'netlab-deny-all');
    return denied && opts.enforces !== false ? dropped : ok;
  };
  return client;
}
const statuses = (report: Awaited<ReturnType<typeof checkCluster>>) =>
  Object.fromEntries(report.results.map((r) => [r.id, r.status]));

describe(checkCluster.name, () => {
  it('should find everything on a cluster that has it, and delete its throwaway namespace', async () => {
    const client = cluster();
    const sut = await checkCluster(kc, { client, images: ['nginx:1.27'], ...fast });
    expect(statuses(sut)).toEqual({
      'server-version': 'ok',
      apis: 'ok',
      images: 'ok',
      'pod-network': 'ok',
      'cluster-dns': 'ok',
      'network-policy': 'ok',
    });
    expect(sut).toMatchObject({
      ok: true,
      cleanedUp: true,
      version: 'v1.31.0',
      server: 'https://10.0.0.1:6443',
    });
    expect(sut.results.find((r) => r.id === 'network-policy')!.detail).toMatch(
      /^a deny-all policy stopped traffic between two pods \d+\.\d s after it was created \(blocked\)$/,
    );
    expect(sut.images.map((i) => [i.image, i.pulled])).toEqual([
      ['nicolaka/netshoot:v0.13', true],
      ['hashicorp/http-echo:1.0', true],
      ['nginx:1.27', true],
    ]);
    const namespace = client.createdObjects.find((o) => o.kind === 'Namespace')!.metadata!.name!;
    expect(namespace).toMatch(/^netlab-check-[0-9a-f]{6}$/);
    expect(client.deletedNamespaces).toEqual([namespace]);
    expect(client.created.map((p) => p.metadata?.namespace)).toEqual([namespace, namespace, namespace]);
  });

  it('should say the CNI ignores NetworkPolicy, with the fix, when traffic flows despite a deny-all policy', async () => {
    const sut = await checkCluster(kc, { client: cluster({ enforces: false }), ...fast });
    const policy = sut.results.find((r) => r.id === 'network-policy')!;
    expect(policy.status).toBe('missing');
    expect(policy.detail).toMatch(
      /^the CNI does not enforce NetworkPolicy: traffic still flowed \d+ s after a deny-all policy selected the server pod: install a CNI that enforces it \(Calico, Cilium, kindnet from kind v0\.24, or k3s's built-in policy controller\)/,
    );
    expect(sut.ok).toBe(false);
  });

  it('should say cluster DNS does not answer, naming where to look', async () => {
    const sut = await checkCluster(kc, { client: cluster({ dns: false }), ...fast });
    expect(sut.results.find((r) => r.id === 'cluster-dns')).toMatchObject({
      status: 'missing',
      detail:
        'cluster DNS does not answer pods (no answer from the DNS server (timed out)): check CoreDNS with `kubectl -n kube-system get pods -l k8s-app=kube-dns` and its Service kube-system/kube-dns',
    });
  });

  it('should refuse a 1.20 cluster by its version and the missing EndpointSlice API, and create nothing', async () => {
    const client = cluster();
    client.gitVersion = 'v1.20.15';
    delete client.served['discovery.k8s.io/v1'];
    const sut = await checkCluster(kc, { client, ...fast });
    expect(sut.results.find((r) => r.id === 'server-version')!.detail).toBe(
      'the cluster runs Kubernetes v1.20.15, older than 1.21, the oldest netlab supports (it needs discovery.k8s.io/v1 EndpointSlices): upgrade the cluster, or use another one',
    );
    expect(sut.results.find((r) => r.id === 'apis')!.detail).toBe(
      'discovery.k8s.io/v1 EndpointSlice is not served by this cluster (v1.20.15): netlab needs 1.21 or newer',
    );
    expect(sut.results.find((r) => r.id === 'network-policy')).toMatchObject({ status: 'unknown' });
    expect(client.createdObjects).toEqual([]);
  });

  it('should name an image the nodes cannot pull and suggest an image map', async () => {
    const client = cluster();
    client.pullFailures['registry.local/app:1'] =
      'failed to resolve reference "registry.local/app:1": not found';
    const sut = await checkCluster(kc, { client, images: ['registry.local/app:1'], ...fast });
    expect(sut.results.find((r) => r.id === 'images')).toMatchObject({
      status: 'missing',
      detail:
        'registry.local/app:1 cannot be pulled (ErrImagePull: failed to resolve reference "registry.local/app:1": not found): make it reachable from the nodes, or mirror it and pass --image-map',
    });
    expect(statuses(sut)['network-policy']).toBe('ok');
  });

  it('should say which rights it lacks when it may not create a namespace', async () => {
    const client = cluster();
    client.createObjectFails = Object.assign(new Error('forbidden'), {
      code: 403,
      body: JSON.stringify({
        message: 'namespaces is forbidden: User "dev" cannot create resource "namespaces"',
      }),
    });
    const sut = await checkCluster(kc, { client, ...fast });
    expect(sut.results.find((r) => r.id === 'permissions')!.detail).toMatch(
      /^could not create the throwaway namespace netlab-check-\w+ \(namespaces is forbidden: User "dev" cannot create resource "namespaces"\): netlab needs to create namespaces, pods and NetworkPolicies and to exec into pods/,
    );
    expect(statuses(sut)['cluster-dns']).toBe('unknown');
  });
});

describe(unmetNeeds.name, () => {
  const manifests = {
    'manifests/app.yaml': [
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop' },
        spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.27' }] } } },
      },
    ],
    'manifests/policy.yaml': [
      {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'shop' },
        spec: {},
      },
    ],
  } as never;
  const http = {
    id: 'get',
    title: 'get',
    type: 'http',
    from: { namespace: 'shop', labels: {} },
    url: 'http://web/',
    expect: { status: 200 },
  };

  it('should skip a lab with NetworkPolicies on a cluster that ignores them, and keep one without', async () => {
    const report = await checkCluster(kc, { client: cluster({ enforces: false }), ...fast });
    const withPolicies = labWith([http], manifests);
    const without = labWith([http], {
      'manifests/app.yaml': (manifests as Record<string, unknown[]>)['manifests/app.yaml'],
    } as never);
    expect(unmetNeeds(withPolicies, report)).toEqual([
      expect.stringMatching(/^it uses NetworkPolicies, and the CNI does not enforce NetworkPolicy: /),
    ]);
    expect(unmetNeeds(without, report)).toEqual([]);
  });

  it('should skip a lab whose image cannot be pulled, after the image map', async () => {
    const client = cluster();
    client.pullFailures['nginx:1.27'] = 'not found';
    const report = await checkCluster(kc, { client, images: ['nginx:1.27'], ...fast });
    expect(unmetNeeds(labWith([http], manifests), report)).toEqual([
      'nginx:1.27 cannot be pulled (ErrImagePull: not found): make it reachable from the nodes, or mirror it and pass --image-map',
    ]);
    expect(unmetNeeds(labWith([http], manifests), report, { nginx: 'mirror/nginx' })).toEqual([]);
  });
});
