import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** The smaller things a kind cluster shows: annotations, node events, routes, netshoot's nc. */
describe('kind details seen through kubectl', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    sut = await startRuntimeWorld();
    await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2');
    await k('expose', 'deployment', 'web', '--port=80');
    await k('run', 'bb', '--image=busybox:1.36', '--', 'sleep', '3600');
    await k('run', 'shoot', '--image=nicolaka/netshoot', '--', 'sleep', '3600');
    await k(
      'run',
      'hostnet',
      '--image=busybox:1.36',
      '--overrides={"spec":{"hostNetwork":true}}',
      '--',
      'sleep',
      '3600',
    );
    const ready = await k('wait', '--for=condition=Ready', 'pod', '--all', '--timeout=60s');
    expect(ready.code).toBe(0);
  }, 90_000);
  afterAll(() => sut?.stop());

  it('should stamp the Endpoints and the EndpointSlice with the last change trigger time', async () => {
    const time = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
    const ep = await k(
      'get',
      'endpoints',
      'web',
      '-o',
      'jsonpath={.metadata.annotations.endpoints\\.kubernetes\\.io/last-change-trigger-time}',
    );
    expect(ep.stdout).toMatch(time);
    const slice = await k(
      'get',
      'endpointslices',
      '-l',
      'kubernetes.io/service-name=web',
      '-o',
      'jsonpath={.items[0].metadata.annotations.endpoints\\.kubernetes\\.io/last-change-trigger-time}',
    );
    expect(slice.stdout).toMatch(time);
  });

  it('should show the node events kind shows when describing a node', async () => {
    const r = await k('describe', 'node', 'conf-worker');
    const events = r.stdout.slice(r.stdout.indexOf('Events:'));

    expect(events).toMatch(/Normal\s+Starting\s+\S+\s+kubelet\s+Starting kubelet\./);
    for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) {
      expect(events).toMatch(
        new RegExp(`Normal\\s+${reason}\\s+\\S+\\s+kubelet\\s+Node conf-worker status is now: ${reason}`),
      );
    }
    expect(events).toMatch(
      /Normal\s+RegisteredNode\s+\S+\s+node-controller\s+Node conf-worker event: Registered Node conf-worker in Controller/,
    );
    expect(events).toMatch(/Normal\s+NodeReady\s+\S+\s+kubelet\s+Node conf-worker status is now: NodeReady/);
    expect(events).toMatch(/Normal\s+Starting\s+\S+\s+kube-proxy/);
  });

  it("should show kindnet's routes in a pod and its per-node routes on the node's network", async () => {
    const ip = (await k('get', 'pod', 'bb', '-o', 'jsonpath={.status.podIP}')).stdout;
    const subnet = ip.split('.').slice(0, 3).join('.');
    const pod = await k('exec', 'bb', '--', 'ip', 'route');
    expect(pod.stdout).toBe(
      `default via ${subnet}.1 dev eth0 \n${subnet}.0/24 via ${subnet}.1 dev eth0 src ${ip} \n${subnet}.1 dev eth0 scope link src ${ip} \n`,
    );
    const node = (await k('exec', 'hostnet', '--', 'ip', 'route')).stdout;
    const cpIp = (
      await k(
        'get',
        'node',
        'conf-control-plane',
        '-o',
        'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}',
      )
    ).stdout;
    expect(node).toMatch(/^default via 172\.18\.0\.1 dev eth0 \n/);
    expect(node).toContain(`10.244.0.0/24 via ${cpIp} dev eth0 \n`);
    expect(node).toMatch(new RegExp(`${ip.replace(/\./g, '\\.')} dev veth[0-9a-f]{8} scope host \\n`));
  });

  it("should word netshoot's nc results as netcat-openbsd", async () => {
    const svc = (await k('get', 'svc', 'web', '-o', 'jsonpath={.spec.clusterIP}')).stdout;
    const ok = await k('exec', 'shoot', '--', 'nc', '-zv', 'web', '80');
    expect(ok.stderr).toBe(`Connection to web (${svc}) 80 port [tcp/http] succeeded!\n`);
    const pod = (await k('get', 'pod', 'bb', '-o', 'jsonpath={.status.podIP}')).stdout;
    const refused = await k('exec', 'shoot', '--', 'nc', '-zv', pod, '81');
    expect(refused.stderr).toContain(`nc: connect to ${pod} port 81 (tcp) failed: Connection refused\n`);
  });
});
