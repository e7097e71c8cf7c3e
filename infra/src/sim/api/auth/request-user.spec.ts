import { describe, expect, it } from 'vitest';
import { ObjectStore } from '../../store/object-store';
import { ADMIN_USER, ANONYMOUS_USER, authenticateRequest } from './request-user';
import { issueServiceAccountToken } from './service-account-token';

const ADMIN = Buffer.from('admin-token');
const NOW = Date.now();

function aCluster() {
  const store = new ObjectStore();
  const sa = store.create('serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'builder', namespace: 'ci' },
  });
  const pod = store.create('pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'runner', namespace: 'ci' },
    spec: { containers: [] },
  });
  const token = issueServiceAccountToken(
    {
      namespace: 'ci',
      serviceAccount: { name: 'builder', uid: sa.metadata.uid },
      pod: { name: 'runner', uid: pod.metadata.uid },
    },
    NOW,
  );
  return { store, token };
}

describe(authenticateRequest.name, () => {
  it('should be system:anonymous when the request has no Authorization header', () => {
    expect(authenticateRequest(undefined, ADMIN, new ObjectStore(), NOW)).toEqual(ANONYMOUS_USER);
  });

  it("should be the kubeconfig's admin when the bearer token is the admin token", () => {
    expect(authenticateRequest('Bearer admin-token', ADMIN, new ObjectStore(), NOW)).toEqual(ADMIN_USER);
  });

  it("should be the ServiceAccount with its groups when the token is the pod's mounted token", () => {
    const { store, token } = aCluster();

    const sut = authenticateRequest(`Bearer ${token}`, ADMIN, store, NOW);

    expect(sut).toEqual({
      username: 'system:serviceaccount:ci:builder',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:ci', 'system:authenticated'],
    });
  });

  it('should be invalid (401) when the bound pod or the ServiceAccount is gone, or the token is unknown', () => {
    const { store, token } = aCluster();
    expect(authenticateRequest('Bearer nonsense', ADMIN, store, NOW)).toBeUndefined();
    expect(authenticateRequest('Basic dXNlcjpwdw==', ADMIN, store, NOW)).toBeUndefined();

    store.delete('pods', 'ci', 'runner');
    expect(authenticateRequest(`Bearer ${token}`, ADMIN, store, NOW)).toBeUndefined();
  });
});
