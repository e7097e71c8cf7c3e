import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rows, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** A client, two http-echo pods (blue, green), a Service selecting blue. */
const BLUE_GREEN = `apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Pod
metadata: {name: blue, labels: {color: blue}}
spec:
  containers: [{name: app, image: hashicorp/http-echo:1.0, args: [-text=blue], ports: [{containerPort: 5678}]}]
---
apiVersion: v1
kind: Pod
metadata: {name: green, labels: {color: green}}
spec:
  containers: [{name: app, image: hashicorp/http-echo:1.0, args: [-text=green], ports: [{containerPort: 5678}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {color: blue}
  ports: [{port: 80, targetPort: 5678}]
`;

const LATE = `apiVersion: v1
kind: Pod
metadata: {name: late, labels: {color: late}}
spec:
  containers:
  - name: app
    image: hashicorp/http-echo:1.0
    args: [-text=late]
    ports: [{containerPort: 5678}]
    readinessProbe: {tcpSocket: {port: 5678}, initialDelaySeconds: 6, periodSeconds: 10}
---
apiVersion: v1
kind: Service
metadata: {name: late}
spec:
  selector: {color: late}
  ports: [{port: 80, targetPort: 5678}]
`;

/**
 * A kube-proxy sync of 6 s (the default is 250 ms, too short to observe between two kubectl
 * processes under load) makes the window in which traffic still follows the old selector visible.
 */
describe('propagation delays seen through kubectl', { timeout: 90_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const curl = async () => (await k('exec', 'client', '--', 'wget', '-qO-', '-T', '2', 'http://web')).stdout;

  beforeAll(async () => {
    sut = await startRuntimeWorld({
      propagation: { kubeProxySyncMs: 6000 },
    });
    await k('apply', '-f', sut.file('bg.yaml', BLUE_GREEN));
    expect((await k('wait', '--for=condition=Ready', 'pod', '--all', '--timeout=60s')).code).toBe(0);
    await eventually(async () => (await curl()) === 'blue\n', 'blue answering through the Service', 20_000);
  }, 90_000);
  afterAll(() => sut?.stop());

  it('should answer from the old selector right after a patch and from the new one after the sync', async () => {
    const patched = await k('patch', 'svc', 'web', '-p', '{"spec":{"selector":{"color":"green"}}}');
    expect(patched.stdout).toBe('service/web patched\n');
    expect(await curl()).toBe('blue\n');
    const endpoints = rows((await k('get', 'endpoints', 'web')).stdout)[1]!;
    const greenIp = rows((await k('get', 'pod', 'green', '-o', 'wide')).stdout)[1]![5];
    expect(endpoints[1]).toBe(`${greenIp}:5678`);
    await eventually(async () => (await curl()) === 'green\n', 'green after kube-proxy synced', 20_000);
  });

  it('should list a pod with a readiness probe as an endpoint only once its first probe passed', async () => {
    await k('apply', '-f', sut.file('late.yaml', LATE));
    await eventually(
      async () => (await k('get', 'pod', 'late')).stdout.includes('Running'),
      'late Running',
      20_000,
    );
    const before = rows((await k('get', 'pod', 'late')).stdout)[1]!;
    expect(before[1]).toBe('0/1');
    const notReady = (await k('get', 'endpoints', 'late')).stdout;
    expect(notReady).toMatch(/^late\s+<none>\s/m);
    expect((await k('wait', '--for=condition=Ready', 'pod/late', '--timeout=30s')).code).toBe(0);
    const ready = rows((await k('get', 'endpoints', 'late')).stdout)[1]!;
    expect(ready[1]).toMatch(/^10\.244\.\d+\.\d+:5678$/);
  });

  it('should show a deleted pod whose process ignores SIGTERM as Terminating for its grace period', async () => {
    const deleted = await k('delete', 'pod', 'client', '--grace-period=8', '--wait=false');
    expect(deleted.stdout).toBe('pod "client" deleted\n');
    const row = rows((await k('get', 'pod', 'client')).stdout)[1]!;
    expect(row[2]).toBe('Terminating');
    await new Promise((r) => setTimeout(r, 3000));
    expect(rows((await k('get', 'pod', 'client')).stdout)[1]![2]).toBe('Terminating');
    await eventually(
      async () => (await k('get', 'pod', 'client')).stderr.includes('NotFound'),
      'client gone after its grace period',
      20_000,
    );
  });
});
