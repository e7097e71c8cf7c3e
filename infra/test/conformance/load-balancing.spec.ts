import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rows, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** Three serve-hostname replicas (each answers its pod name) behind a Service, and a client. */
const HOSTNAMES = `apiVersion: apps/v1
kind: Deployment
metadata: {name: hostnames}
spec:
  replicas: 3
  selector: {matchLabels: {app: hostnames}}
  template:
    metadata: {labels: {app: hostnames}}
    spec:
      containers:
      - name: app
        image: registry.k8s.io/e2e-test-images/agnhost:2.47
        args: [serve-hostname]
        ports: [{containerPort: 9376}]
---
apiVersion: v1
kind: Service
metadata: {name: hostnames}
spec:
  selector: {app: hostnames}
  ports: [{port: 80, targetPort: 9376}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  containers: [{name: c, image: busybox:1.36, command: [sleep, "3600"]}]
`;

/** What the Debug Services walkthrough runs: many requests to the Service from one pod. */
const LOOP = 'for i in $(seq 30); do wget -qO- -T 2 http://hostnames; echo; done';

describe('Service load balancing seen through kubectl', { timeout: 90_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const answers = async () => {
    const out = (await k('exec', 'client', '--', 'sh', '-c', LOOP)).stdout;
    return out.split('\n').filter(Boolean);
  };

  beforeAll(async () => {
    sut = await startRuntimeWorld({ nodes: 3 });
    await k('apply', '-f', sut.file('hostnames.yaml', HOSTNAMES));
    expect((await k('rollout', 'status', 'deploy/hostnames', '--timeout=60s')).code).toBe(0);
    expect((await k('wait', '--for=condition=Ready', 'pod/client', '--timeout=60s')).code).toBe(0);
    await eventually(async () => (await answers()).length === 30, 'the Service answering', 20_000);
  }, 90_000);
  afterAll(() => sut?.stop());

  it('should answer from every replica when a client sends many requests', async () => {
    const pods = rows((await k('get', 'pods', '-l', 'app=hostnames', '-o', 'name')).stdout).map((r) =>
      r[0]!.replace('pod/', ''),
    );
    const got = await answers();
    expect(got).toHaveLength(30);
    expect(new Set(got)).toEqual(new Set(pods));
  });

  it('should keep a client on one replica when sessionAffinity is ClientIP', async () => {
    const patched = await k('patch', 'svc', 'hostnames', '-p', '{"spec":{"sessionAffinity":"ClientIP"}}');
    expect(patched.stdout).toBe('service/hostnames patched\n');
    expect((await k('get', 'svc', 'hostnames', '-o', 'jsonpath={.spec.sessionAffinityConfig}')).stdout).toBe(
      '{"clientIP":{"timeoutSeconds":10800}}',
    );
    await eventually(async () => new Set(await answers()).size === 1, 'one replica answering', 20_000);
    expect(new Set(await answers()).size).toBe(1);
  });
});
