import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

const PODS = `
apiVersion: v1
kind: Pod
metadata: { name: server, labels: { app: server } }
spec:
  nodeSelector: { node-role.kubernetes.io/control-plane: '' }
  tolerations: [{ key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule }]
  containers:
    - name: netexec
      image: registry.k8s.io/e2e-test-images/agnhost:2.53
      args: ['netexec', '--http-port=8080']
---
apiVersion: v1
kind: Pod
metadata: { name: client }
spec:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [{ matchExpressions: [{ key: node-role.kubernetes.io/control-plane, operator: DoesNotExist }] }]
  containers:
    - { name: shell, image: nicolaka/netshoot:v0.13, command: ['sleep', '3600'] }
`;

const hostShell = (name: string, privileged: boolean) => `
apiVersion: v1
kind: Pod
metadata: { name: ${name} }
spec:
  hostNetwork: true
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms: [{ matchExpressions: [{ key: node-role.kubernetes.io/control-plane, operator: DoesNotExist }] }]
  containers:
    - name: shell
      image: busybox:1.36
      command: ['sleep', '3600']
      securityContext: { privileged: ${privileged} }
`;

/** A node's routing table changed by hand, and kindnet putting its routes back, seen through kubectl. */
describe('node routes seen through kubectl', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  let serverIp = '';
  const call = () =>
    k('exec', 'client', '--', 'curl', '-sS', '--max-time', '2', `http://${serverIp}:8080/clientip`);

  beforeAll(async () => {
    sut = await startRuntimeWorld();
    await k('apply', '-f', sut.file('pods.yaml', PODS));
    await k('apply', '-f', sut.file('root.yaml', hostShell('root', true)));
    await k('apply', '-f', sut.file('plain.yaml', hostShell('plain', false)));
    expect((await k('wait', '--for=condition=Ready', 'pod', '--all', '--timeout=60s')).code).toBe(0);
    serverIp = (await k('get', 'pod', 'server', '-o', 'jsonpath={.status.podIP}')).stdout;
  }, 90_000);
  afterAll(() => sut?.stop());

  it('should refuse to change routes without CAP_NET_ADMIN', async () => {
    const r = await k('exec', 'plain', '--', 'ip', 'route', 'del', '10.244.0.0/24');

    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('ip: RTNETLINK answers: Operation not permitted');
  });

  it('should put a deleted route back while kindnet runs on the node', async () => {
    expect((await k('exec', 'root', '--', 'ip', 'route', 'del', '10.244.0.0/24')).code).toBe(0);

    const routes = await k('exec', 'root', '--', 'ip', 'route');

    expect(routes.stdout).toMatch(/^10\.244\.0\.0\/24 via 172\.18\.0\.\d+ dev eth0/m);
    expect((await call()).code).toBe(0);
  });

  it('should lose cross-node Pod traffic when the route is deleted with kindnet kept off the node', async () => {
    const pin = await k(
      'patch',
      'daemonset',
      'kindnet',
      '-n',
      'kube-system',
      '--type=merge',
      '-p',
      '{"spec":{"template":{"spec":{"nodeSelector":{"node-role.kubernetes.io/control-plane":""}}}}}',
    );
    expect(pin.code).toBe(0);
    await k(
      'wait',
      '--for=delete',
      'pod',
      '-n',
      'kube-system',
      '-l',
      'app=kindnet',
      '--field-selector=spec.nodeName=conf-worker',
      '--timeout=30s',
    );

    const del = await k('exec', 'root', '--', 'ip', 'route', 'del', '10.244.0.0/24');
    const again = await k('exec', 'root', '--', 'ip', 'route', 'del', '10.244.0.0/24');
    const routes = await k('exec', 'root', '--', 'ip', 'route');
    const r = await call();

    expect(del.code).toBe(0);
    expect(again.stderr).toContain('ip: RTNETLINK answers: No such process');
    expect(routes.stdout).not.toContain('10.244.0.0/24');
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('timed out');
    expect((await k('get', 'nodes')).stdout).not.toContain('NotReady');
  });

  it('should route again once kindnet runs on the node again', async () => {
    await k(
      'patch',
      'daemonset',
      'kindnet',
      '-n',
      'kube-system',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/spec/template/spec/nodeSelector/node-role.kubernetes.io~1control-plane"}]',
    );
    await k('rollout', 'status', 'daemonset/kindnet', '-n', 'kube-system', '--timeout=30s');

    const r = await call();
    const clientIp = (await k('get', 'pod', 'client', '-o', 'jsonpath={.status.podIP}')).stdout;

    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^${clientIp.replace(/\./g, '\\.')}:\\d+$`));
  });
});
