import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rows, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

/** What kind ships in kube-system and the RBAC defaults, as kubectl shows them. */
describe('kube-system as kind ships it', { timeout: 90_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    sut = await startRuntimeWorld();
  }, 60_000);
  afterAll(() => sut?.stop());

  it("should have the coredns ConfigMap with kubeadm's Corefile", async () => {
    const corefile = (
      await k('get', 'configmap', 'coredns', '-n', 'kube-system', '-o', 'jsonpath={.data.Corefile}')
    ).stdout;
    expect(corefile).toMatch(/^\.:53 \{\n {4}errors\n {4}health \{\n {7}lameduck 5s\n {4}\}\n {4}ready\n/);
    expect(corefile).toContain(
      '    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n',
    );
    expect(corefile).toContain('    forward . /etc/resolv.conf {\n       max_concurrent 1000\n    }\n');
    expect(corefile).toContain('    reload\n    loadbalance\n}');
    const names = rows((await k('get', 'configmaps', '-n', 'kube-system')).stdout).map((r) => r[0]);
    expect(names).toEqual(
      expect.arrayContaining(['coredns', 'kube-proxy', 'kubeadm-config', 'kube-root-ca.crt']),
    );
  });

  it('should have the default ClusterRoles and their bindings', async () => {
    const roles = rows((await k('get', 'clusterroles')).stdout).map((r) => r[0]);
    expect(roles).toEqual(
      expect.arrayContaining([
        'admin',
        'cluster-admin',
        'edit',
        'view',
        'system:coredns',
        'system:node-proxier',
        'kindnet',
      ]),
    );
    const binding = rows((await k('get', 'clusterrolebinding', 'system:coredns', '-o', 'wide')).stdout)[1]!;
    expect(binding[1]).toBe('ClusterRole/system:coredns');
    expect(binding.at(-1)).toBe('kube-system/coredns');
    const admin = (await k('describe', 'clusterrole', 'cluster-admin')).stdout;
    expect(admin).toMatch(/\*\.\*\s+\[\]\s+\[\]\s+\[\*\]/);
    expect(admin).toMatch(/\s+\[\*\]\s+\[\]\s+\[\*\]/);
  });

  it("should list kube-system's ServiceAccounts", async () => {
    const accounts = rows((await k('get', 'serviceaccounts', '-n', 'kube-system')).stdout).map((r) => r[0]);
    expect(accounts).toEqual(
      expect.arrayContaining([
        'coredns',
        'default',
        'deployment-controller',
        'endpointslice-controller',
        'kindnet',
        'kube-proxy',
        'replicaset-controller',
      ]),
    );
  });

  it('should warn that v1 Endpoints is deprecated, as a 1.33 API server does', async () => {
    const r = await k('get', 'endpoints', '-n', 'kube-system');
    expect(r.stderr).toBe(
      'Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n',
    );
    expect(r.stdout).toMatch(/^kube-dns\s+10\.244\./m);
  });
});
