import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitVersion } from '../../src/sim/api/api-server';
import { startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';

const CLIENT = `apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Pod
metadata:
  name: client
  namespace: shop
spec:
  containers:
  - name: curl
    image: curlimages/curl:8.5.0
    command: [sleep, "3600"]
`;

/** A Pod reaching the API server the way a kind 1.33 cluster lets it: TLS, anonymous access, RBAC. */
describe('the API server from inside a Pod', { timeout: 240_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });
  const sh = (script: string) => k('exec', '-n', 'shop', 'client', '--', 'sh', '-c', script);

  beforeAll(async () => {
    sut = await startRuntimeWorld();
    expect((await k('apply', '-f', sut.file('client.yaml', CLIENT))).code).toBe(0);
    const ready = await k('wait', '-n', 'shop', '--for=condition=Ready', 'pod/client', '--timeout=120s');
    expect(ready.stderr).toBe('');
  });

  afterAll(async () => {
    await sut?.stop();
  });

  it('should answer /version with the cluster version when curl -k asks kubernetes.default', async () => {
    const r = await sh('curl -sk https://kubernetes.default/version');
    expect(r.code).toBe(0);
    const version = JSON.parse(r.stdout) as { gitVersion: string; minor: string };
    expect(version.gitVersion).toBe(gitVersion(33));
    expect(r.stdout).toContain('\n  "major": "1"');
  });

  it('should verify the certificate with the mounted ca.crt when asked by name and by ClusterIP', async () => {
    const nodeIp = await k(
      'get',
      'node',
      'conf-control-plane',
      '-o',
      'jsonpath={.status.addresses[?(@.type=="InternalIP")].address}',
    );
    expect(nodeIp.stdout).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    for (const url of [
      'https://kubernetes.default/version',
      'https://kubernetes.default.svc.cluster.local/readyz',
      `https://${nodeIp.stdout}:6443/version`,
      'https://kubernetes.default.svc:443/healthz',
      'https://10.96.0.1/livez',
    ]) {
      const r = await sh(`curl -sS --cacert ${SA}/ca.crt ${url}`);
      expect(r.stderr, url).toBe('');
      expect(r.code, url).toBe(0);
    }
  });

  it('should refuse an anonymous /api with the API server Status when there is no token', async () => {
    const r = await sh('curl -sk https://kubernetes.default/api');
    expect(JSON.parse(r.stdout)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'forbidden: User "system:anonymous" cannot get path "/api"',
      reason: 'Forbidden',
      details: {},
      code: 403,
    });
  });

  it('should list pods with the ServiceAccount token (and kubectl --as) only once a Role and RoleBinding allow it', async () => {
    const list = `curl -s --cacert ${SA}/ca.crt -H "Authorization: Bearer $(cat ${SA}/token)" https://kubernetes.default.svc/api/v1/namespaces/shop/pods`;
    const refused = await sh(list);
    const status = JSON.parse(refused.stdout) as { code: number; message: string };
    expect(status.code).toBe(403);
    expect(status.message).toBe(
      'pods is forbidden: User "system:serviceaccount:shop:default" cannot list resource "pods" in API group "" in the namespace "shop"',
    );
    const as = '--as=system:serviceaccount:shop:default';
    expect((await k('auth', 'can-i', 'list', 'pods', '-n', 'shop', as)).stdout).toBe('no\n');
    expect((await k('get', 'pods', '-n', 'shop', as)).stderr).toBe(
      'Error from server (Forbidden): pods is forbidden: User "system:serviceaccount:shop:default" cannot list resource "pods" in API group "" in the namespace "shop"\n',
    );
    expect(
      (await k('create', 'role', 'pod-reader', '-n', 'shop', '--verb=get,list', '--resource=pods')).code,
    ).toBe(0);
    expect(
      (
        await k(
          'create',
          'rolebinding',
          'read-pods',
          '-n',
          'shop',
          '--role=pod-reader',
          '--serviceaccount=shop:default',
        )
      ).code,
    ).toBe(0);
    expect((await k('auth', 'can-i', 'list', 'pods', '-n', 'shop', as)).stdout).toBe('yes\n');
    expect((await k('auth', 'can-i', 'delete', 'pods', '-n', 'shop', as)).stdout).toBe('no\n');
    expect((await k('get', 'pods', '-n', 'shop', as, '-o', 'name')).stdout).toBe('pod/client\n');
    const allowed = await sh(list);
    const pods = JSON.parse(allowed.stdout) as { kind: string; items: { metadata: { name: string } }[] };
    expect(pods.kind).toBe('PodList');
    expect(pods.items.map((p) => p.metadata.name)).toEqual(['client']);
  });

  it('should authenticate a token from kubectl create token for discovery, and refuse an edited one', async () => {
    const token = (await k('create', 'token', 'default', '-n', 'shop')).stdout.trim();
    expect(token.split('.')).toHaveLength(3);

    const discovery = await sh(`curl -sk -H "Authorization: Bearer ${token}" https://10.96.0.1/api`);
    expect(JSON.parse(discovery.stdout)).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });

    const forged = `${token.slice(0, -4)}AAAA`;
    const refused = await sh(
      `curl -sk -o /dev/null -w '%{http_code}' -H "Authorization: Bearer ${forged}" https://10.96.0.1/api`,
    );
    expect(refused.stdout).toBe('401');
  });

  it("should answer plain HTTP on the API server's TLS port with Go's 400", async () => {
    const r = await sh('curl -s http://kubernetes.default:443/version');
    expect(r.stdout).toBe('Client sent an HTTP request to an HTTPS server.\n');
  });

  it('should time out reaching the API once a default-deny egress NetworkPolicy selects the Pod', async () => {
    const deny = `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: { name: deny-egress, namespace: shop }
spec:
  podSelector: {}
  policyTypes: [Egress]
`;
    expect((await k('apply', '-f', sut.file('deny.yaml', deny))).code).toBe(0);

    const r = await sh('curl -sSk --connect-timeout 2 https://10.96.0.1/version');

    expect(r.code).toBe(28);
    expect(r.stderr).toContain('curl: (28) ');
  });
});
