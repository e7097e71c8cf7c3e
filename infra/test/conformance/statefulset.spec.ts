import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, rows, runPods, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

const manifest = (replicas: number, policy = 'OrderedReady') => `apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  clusterIP: None
  selector: { app: web }
  ports: [{ name: http, port: 80 }]
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: web
spec:
  serviceName: web
  replicas: ${replicas}
  podManagementPolicy: ${policy}
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      terminationGracePeriodSeconds: 0
      containers:
        - name: nginx
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
          readinessProbe:
            tcpSocket: { port: 80 }
            periodSeconds: 1
`;

describe('sim StatefulSets with kubectl', { timeout: 90_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    sut = await startRuntimeWorld({ minor: 30 });
  }, 60_000);
  afterAll(() => sut?.stop());

  it('should roll out web-0..2 in order, print READY 3/3 and give each pod its own DNS name', async () => {
    const applied = await k('apply', '-f', sut.file('web.yaml', manifest(3)));
    expect(applied.stdout).toBe('service/web created\nstatefulset.apps/web created\n');
    const status = await k('rollout', 'status', 'sts/web', '--timeout=60s');
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/partitioned roll out complete: 3 new pods have been updated\.\.\./);

    const table = rows((await k('get', 'sts')).stdout);
    expect(table[0]).toEqual(['NAME', 'READY', 'AGE']);
    expect(table[1]!.slice(0, 2)).toEqual(['web', '3/3']);
    const wide = rows((await k('get', 'sts', '-o', 'wide')).stdout);
    expect(wide[0]).toEqual(['NAME', 'READY', 'AGE', 'CONTAINERS', 'IMAGES']);
    expect(wide[1]!.slice(3)).toEqual(['nginx', 'nginx:1.27']);

    const pods = rows((await k('get', 'pods', '-l', 'app=web')).stdout)
      .slice(1)
      .map((r) => r[0]);
    expect(pods).toEqual(['web-0', 'web-1', 'web-2']);
    const events = (await k('get', 'events', '--field-selector', 'involvedObject.kind=StatefulSet')).stdout;
    expect(events).toContain('create Pod web-0 in StatefulSet web successful');

    await runPods(sut, [['client', 'nicolaka/netshoot:v0.13', 'sleep', '3600']]);
    const lookup = await k('exec', 'client', '--', 'dig', '+short', 'web-2.web.default.svc.cluster.local');
    const ip = (await k('get', 'pod', 'web-2', '-o', 'jsonpath={.status.podIP}')).stdout;
    expect(lookup.stdout).toBe(`${ip}\n`);
    expect((await k('exec', 'web-1', '--', 'hostname')).stdout).toBe('web-1\n');
  });

  it('should scale down from the highest ordinal and report it with rollout status', async () => {
    expect((await k('scale', 'sts/web', '--replicas=1')).stdout).toBe('statefulset.apps/web scaled\n');
    await eventually(
      async () => rows((await k('get', 'pods', '-l', 'app=web')).stdout).length === 2,
      'one pod left',
    );
    expect(rows((await k('get', 'pods', '-l', 'app=web')).stdout)[1]![0]).toBe('web-0');
    const status = await k('rollout', 'status', 'sts/web', '--timeout=60s');
    expect(status.stdout).toMatch(/partitioned roll out complete: 1 new pods have been updated/);
  });

  it('should wait on a new image with rollout status and record the revision history', async () => {
    expect((await k('set', 'image', 'sts/web', 'nginx=nginx:1.28')).stdout).toBe(
      'statefulset.apps/web image updated\n',
    );
    const status = await k('rollout', 'status', 'sts/web', '--timeout=60s');
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('partitioned roll out complete: 1 new pods have been updated');
    expect((await k('get', 'pod', 'web-0', '-o', 'jsonpath={.spec.containers[0].image}')).stdout).toBe(
      'nginx:1.28',
    );
    const history = rows((await k('rollout', 'history', 'sts/web')).stdout);
    expect(history.slice(-2).map((r) => r[0])).toEqual(['1', '2']);
  });
});
