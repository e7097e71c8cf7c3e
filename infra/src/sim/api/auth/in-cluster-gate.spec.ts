import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../store/object-store';
import { sendInMemory } from '../in-memory-http';
import { InClusterGate, prettyForClient } from './in-cluster-gate';

const RBAC = 'rbac.authorization.k8s.io';

/** A gate over a store with kind's public-info-viewer binding, in front of a handler that says "served". */
function aGatedServer() {
  const store = new ObjectStore();
  store.create(`${RBAC}/clusterroles`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRole',
    metadata: { name: 'system:public-info-viewer' },
    rules: [{ nonResourceURLs: ['/version'], verbs: ['get'] }],
  });
  store.create(`${RBAC}/clusterrolebindings`, {
    apiVersion: `${RBAC}/v1`,
    kind: 'ClusterRoleBinding',
    metadata: { name: 'system:public-info-viewer' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'system:public-info-viewer' },
    subjects: [{ apiGroup: RBAC, kind: 'Group', name: 'system:unauthenticated' }],
  });
  const gate = new InClusterGate(store, Buffer.from('admin'));
  const server = createServer((req, res) => {
    if (gate.admit(req, res)) res.end('served');
  });
  const ask = (path: string, headers: Record<string, string> = {}) =>
    sendInMemory(server, { method: 'GET', path, headers, client: { ip: '10.244.1.5', port: 40001 } }, 5000);
  return { ask };
}

describe(InClusterGate.name, () => {
  it('should let an anonymous request through when RBAC allows its path', async () => {
    const sut = aGatedServer();

    expect((await sut.ask('/version')).body).toBe('served');
  });

  it('should answer 403 with the Forbidden Status when RBAC does not allow it', async () => {
    const sut = aGatedServer();

    const answer = await sut.ask('/api/v1/namespaces/shop/pods/web');

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message:
        'pods "web" is forbidden: User "system:anonymous" cannot get resource "pods" in API group "" in the namespace "shop"',
      reason: 'Forbidden',
      details: { name: 'web', kind: 'pods' },
      code: 403,
    });
  });

  it('should answer 401 Unauthorized when the bearer token is not one the cluster issued', async () => {
    const sut = aGatedServer();

    const answer = await sut.ask('/version', { authorization: 'Bearer forged' });

    expect(answer.status).toBe(401);
    expect(JSON.parse(answer.body)).toMatchObject({ reason: 'Unauthorized', message: 'Unauthorized' });
  });

  it('should still apply RBAC to the admin token when no binding names kubeadm:cluster-admins', async () => {
    const sut = aGatedServer();

    expect((await sut.ask('/api', { authorization: 'Bearer admin' })).status).toBe(403);
  });
});

describe(`${InClusterGate.name} with Impersonate-User`, () => {
  it("should refuse to impersonate when the caller has no impersonate right, in the API server's words", async () => {
    const sut = aGatedServer();

    const answer = await sut.ask('/version', { 'impersonate-user': 'bob' });

    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body).message).toBe(
      'users "bob" is forbidden: User "system:anonymous" cannot impersonate resource "users" in API group "" at the cluster scope',
    );
  });
});

describe(prettyForClient.name, () => {
  const json = 'application/json';

  it('should indent JSON for curl with a final newline, and leave it compact for kubectl', () => {
    expect(prettyForClient('/api', 'curl/8.5.0', json, '{"a":{}}')).toBe('{\n  "a": {}\n}\n');
    expect(prettyForClient('/api', 'kubectl/v1.33.1', json, '{"a":1}')).toBe('{"a":1}');
    expect(prettyForClient('/api?pretty=true', 'kubectl/v1.33.1', json, '{"a":1}')).toBe('{\n  "a": 1\n}\n');
  });

  it('should always indent /version without a final newline, as WriteRawJSON writes it', () => {
    expect(prettyForClient('/version', 'Go-http-client/1.1', json, '{"major":"1"}')).toBe(
      '{\n  "major": "1"\n}',
    );
  });
});
