import { describe, expect, it } from 'vitest';
import { put } from '../runtime/context';
import { aDeployment, aPod, aRuntime, aService } from '../runtime/testing/runtime-harness';
import { Dataplane } from './dataplane';

const client = { namespace: 'default', name: 'client' };

async function withApp() {
  const h = await aRuntime();
  h.store.create(
    'pods',
    aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
  );
  h.store.create(
    'apps/deployments',
    aDeployment(
      'web',
      { image: 'hashicorp/http-echo:1.0', args: ['-text=hello from web'], ports: [{ containerPort: 5678 }] },
      2,
    ),
  );
  h.store.create('services', aService('web', { app: 'web' }, 80, 5678, '10.96.50.50'));
  await h.sut.advance(3000);
  return h;
}

describe(Dataplane.name, () => {
  it('should answer HTTP through the Service VIP and DNS name with the app model and log the request', async () => {
    const { sut, store } = await withApp();
    const answer = await sut.dataplane.http(client, {
      method: 'GET',
      url: 'http://web/',
      headers: { 'User-Agent': 'curl/8.5.0' },
    });
    expect(answer).toMatchObject({ kind: 'response', status: 200, body: 'hello from web\n' });
    const byIp = await sut.dataplane.http(client, {
      method: 'GET',
      url: 'http://10.96.50.50/anything',
      headers: {},
    });
    expect(byIp).toMatchObject({ kind: 'response', status: 200, body: 'hello from web\n' });
    const logs: string[] = [];
    for (const p of store.list('pods', 'default').filter((p) => p.metadata.name.startsWith('web-'))) {
      for await (const l of sut.logs({ namespace: 'default', pod: p.metadata.name, container: 'app' }, {}))
        logs.push(l);
    }
    expect(logs.filter((l) => l.includes('[INFO] server is listening on :5678'))).toHaveLength(2);
    expect(logs.filter((l) => / "GET \/(anything)? HTTP\/1\.1" 200 15 /.test(l))).toHaveLength(2);
  });

  it('should stop resolving names when CoreDNS is scaled to 0', async () => {
    const { sut, store } = await withApp();
    expect(sut.dataplane.current().resolve('web', { pod: client }).rcode).toBe('NOERROR');
    const d = store.get('apps/deployments', 'kube-system', 'coredns')!;
    put(store, 'apps/deployments', { ...d, spec: { ...(d.spec as object), replicas: 0 } });
    await sut.advance(5000);
    const answer = sut.dataplane.current().resolve('web', { pod: client });
    expect(answer.rcode).not.toBe('NOERROR');
    const viaName = sut.dataplane.connect(client, 'web', 80);
    expect(viaName.allowed).toBe(false);
  });

  it("should keep a stopped kube-proxy's rules: old Services still work, new ones and new endpoints are not programmed", async () => {
    const { sut, store } = await withApp();
    expect(sut.dataplane.connect(client, '10.96.50.50', 80).verdict).toBe('connected');
    const podIp = () =>
      String(
        (
          store.list('pods', 'default').find((p) => p.metadata.name.startsWith('web-'))!.status as {
            podIP: string;
          }
        ).podIP,
      );
    store.delete('apps/daemonsets', 'kube-system', 'kube-proxy');
    await sut.advance(5000);
    expect(sut.dataplane.connect(client, '10.96.50.50', 80).verdict).toBe('connected');
    store.create('services', aService('late', { app: 'web' }, 80, 5678, '10.96.50.51'));
    await sut.advance(5000);
    expect(sut.dataplane.connect(client, '10.96.50.51', 80).verdict).not.toBe('connected');
    // The app's Pods are replaced: the frozen rules still DNAT to the old, dead IPs.
    for (const p of store.list('pods', 'default').filter((p) => p.metadata.name.startsWith('web-')))
      store.delete('pods', 'default', p.metadata.name);
    await sut.advance(60_000);
    expect(sut.dataplane.connect(client, podIp(), 5678).verdict).toBe('connected');
    expect(sut.dataplane.connect(client, '10.96.50.50', 80).verdict).not.toBe('connected');
  });

  it('should let only the pod itself reach an app bound to 127.0.0.1 (python -m http.server --bind 127.0.0.1)', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
    );
    store.create(
      'pods',
      aPod('py', {
        containers: [
          {
            name: 'py',
            image: 'python:3.12',
            command: ['python', '-m', 'http.server', '--bind', '127.0.0.1', '8080'],
          },
        ],
      }),
    );
    await sut.advance(3000);
    const ip = String((store.get('pods', 'default', 'py')!.status as { podIP: string }).podIP);
    expect(sut.dataplane.listeners().filter((l) => l.pod === 'py')).toEqual([
      { namespace: 'default', pod: 'py', container: 'py', address: '127.0.0.1', port: 8080, protocol: 'TCP' },
    ]);
    expect(sut.dataplane.connect(client, ip, 8080).verdict).toBe('refused');
    const self = await sut.dataplane.http(
      { namespace: 'default', name: 'py', ip },
      { method: 'GET', url: 'http://127.0.0.1:8080/', headers: {} },
    );
    expect(self).toMatchObject({ kind: 'response', status: 200 });
    expect((self as { body: string }).body).toContain('Directory listing for /');
  });

  it('should drop traffic a NetworkPolicy denies only when the CNI enforces policy', async () => {
    for (const [cniPlugin, expected] of [
      ['kindnet', 'blocked'],
      ['flannel', 'connected'],
    ] as const) {
      const { sut, store } = await aRuntime({ cniPlugin });
      store.create(
        'pods',
        aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
      );
      store.create('pods', aPod('web', { containers: [{ name: 'w', image: 'nginx:1.27' }] }, { app: 'web' }));
      store.create('networking.k8s.io/networkpolicies', {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'NetworkPolicy',
        metadata: { name: 'deny', namespace: 'default' },
        spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] },
      });
      await sut.advance(3000);
      const ip = String((store.get('pods', 'default', 'web')!.status as { podIP: string }).podIP);
      expect(sut.dataplane.connect(client, ip, 80).verdict).toBe(expected);
    }
  });

  it('should take nginx listeners from a mounted ConfigMap', async () => {
    const { sut, store } = await aRuntime();
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'conf', namespace: 'default' },
      data: { 'default.conf': 'server { listen 8080; location / { return 200 "from config\\n"; } }' },
    });
    store.create(
      'pods',
      aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
    );
    store.create(
      'pods',
      aPod('web', {
        volumes: [{ name: 'conf', configMap: { name: 'conf' } }],
        containers: [
          {
            name: 'w',
            image: 'nginx:1.27',
            volumeMounts: [{ name: 'conf', mountPath: '/etc/nginx/conf.d' }],
          },
        ],
      }),
    );
    await sut.advance(3000);
    const ip = String((store.get('pods', 'default', 'web')!.status as { podIP: string }).podIP);
    expect(sut.dataplane.connect(client, ip, 80).verdict).toBe('refused');
    const answer = await sut.dataplane.http(client, {
      method: 'GET',
      url: `http://${ip}:8080/`,
      headers: {},
    });
    expect(answer).toMatchObject({ kind: 'response', status: 200, body: 'from config\n' });
  });

  it('should end a busybox `nc -l` after one connection, as the real applet does without -k', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
    );
    const script = 'echo -e "HTTP/1.1 200 OK\\r\\n\\r\\nonce" | nc -l -p 8080';
    store.create(
      'pods',
      aPod('nc', { containers: [{ name: 'nc', image: 'busybox', command: ['sh', '-c', script] }] }),
    );
    await sut.advance(3000);
    const ip = String((store.get('pods', 'default', 'nc')!.status as { podIP: string }).podIP);
    const first = await sut.dataplane.http(client, { method: 'GET', url: `http://${ip}:8080/`, headers: {} });
    expect(first).toMatchObject({ kind: 'response', status: 200, body: 'once\n' });
    await sut.advance(1); // nc exits; the kubelet restarts it (pulling busybox:latest again)
    expect(sut.dataplane.connect(client, ip, 8080).verdict).toBe('refused');
    await sut.advance(1000);
    const after = store.get('pods', 'default', 'nc')!.status as {
      containerStatuses: { restartCount: number; lastState: { terminated?: { reason: string } } }[];
    };
    expect(after.containerStatuses[0]!.restartCount).toBe(1);
    expect(after.containerStatuses[0]!.lastState.terminated?.reason).toBe('Completed');
  });
  it('should spread requests through a Service over all three replicas', async () => {
    const { sut, store } = await withApp();
    const d = store.get('apps/deployments', 'default', 'web')!;
    put(store, 'apps/deployments', { ...d, spec: { ...(d.spec as object), replicas: 3 } });
    await sut.advance(3000);
    const hits = new Map<string, number>();
    for (let i = 0; i < 60; i++) {
      const answer = await sut.dataplane.http(client, { method: 'GET', url: 'http://web/', headers: {} });
      expect(answer.kind).toBe('response');
      const ip = answer.kind === 'response' ? answer.remote.ip : '';
      hits.set(ip, (hits.get(ip) ?? 0) + 1);
    }
    expect(hits.size).toBe(3);
    const svc = store.get('services', 'default', 'web')!;
    put(store, 'services', { ...svc, spec: { ...(svc.spec as object), sessionAffinity: 'ClientIP' } });
    await sut.advance(1000);
    const sticky = new Set<string>();
    for (let i = 0; i < 20; i++) {
      const answer = await sut.dataplane.http(client, { method: 'GET', url: 'http://web/', headers: {} });
      if (answer.kind === 'response') sticky.add(answer.remote.ip);
    }
    expect(sticky.size).toBe(1);
  });

  it('should fail some but not all connections when one endpoint of four is broken', async () => {
    const { sut, store } = await withApp();
    store.create(
      'pods',
      aPod(
        'broken',
        { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] },
        { app: 'web' },
      ),
    );
    const d = store.get('apps/deployments', 'default', 'web')!;
    put(store, 'apps/deployments', { ...d, spec: { ...(d.spec as object), replicas: 3 } });
    await sut.advance(3000);
    const verdicts = Array.from({ length: 80 }, () => sut.dataplane.connect(client, 'web', 80).verdict);
    const refused = verdicts.filter((v) => v === 'refused').length;
    expect(refused).toBeGreaterThan(5);
    expect(refused).toBeLessThan(40);
    expect(verdicts.filter((v) => v === 'connected').length).toBe(80 - refused);
  });
});
