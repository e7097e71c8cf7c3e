import { describe, expect, it } from 'vitest';
import { ObjectStore, type NewObject } from '../../store/object-store';
import { authorize, forbiddenMessage, requestAttributes, type RequestAttributes } from './rbac-authorizer';
import { ANONYMOUS_USER, type RequestUser } from './request-user';

const RBAC = 'rbac.authorization.k8s.io';
const SHOP_DEFAULT: RequestUser = {
  username: 'system:serviceaccount:shop:default',
  groups: ['system:serviceaccounts', 'system:serviceaccounts:shop', 'system:authenticated'],
};

function role(kind: 'Role' | 'ClusterRole', name: string, rules: unknown[], namespace?: string): NewObject {
  return { apiVersion: `${RBAC}/v1`, kind, metadata: { name, ...(namespace ? { namespace } : {}) }, rules };
}

function bindingOf(
  kind: 'RoleBinding' | 'ClusterRoleBinding',
  name: string,
  roleRef: { kind: string; name: string },
  subjects: unknown[],
  namespace?: string,
): NewObject {
  return {
    apiVersion: `${RBAC}/v1`,
    kind,
    metadata: { name, ...(namespace ? { namespace } : {}) },
    roleRef: { apiGroup: RBAC, ...roleRef },
    subjects,
  };
}

/** The kind defaults that matter here, plus a namespaced Role in `shop` bound to shop's default SA. */
function aCluster(): ObjectStore {
  const store = new ObjectStore();
  store.create(
    `${RBAC}/clusterroles`,
    role('ClusterRole', 'system:public-info-viewer', [
      { nonResourceURLs: ['/healthz', '/livez', '/readyz', '/version', '/version/'], verbs: ['get'] },
    ]),
  );
  store.create(
    `${RBAC}/clusterroles`,
    role('ClusterRole', 'system:discovery', [
      { nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*'], verbs: ['get'] },
    ]),
  );
  for (const [name, group] of [
    ['system:public-info-viewer', 'system:unauthenticated'],
    ['system:discovery', 'system:authenticated'],
  ] as const)
    store.create(
      `${RBAC}/clusterrolebindings`,
      bindingOf('ClusterRoleBinding', name, { kind: 'ClusterRole', name }, [
        { kind: 'Group', apiGroup: RBAC, name: group },
      ]),
    );
  store.create(
    `${RBAC}/roles`,
    role(
      'Role',
      'reader',
      [
        { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get'], resourceNames: ['web'] },
      ],
      'shop',
    ),
  );
  store.create(
    `${RBAC}/rolebindings`,
    bindingOf(
      'RoleBinding',
      'read',
      { kind: 'Role', name: 'reader' },
      [{ kind: 'ServiceAccount', name: 'default' }],
      'shop',
    ),
  );
  return store;
}

const get = (path: string) => requestAttributes('GET', new URL(path, 'https://k'));

describe(authorize.name, () => {
  const cases: [string, RequestUser, RequestAttributes, boolean][] = [
    ['anonymous /version (public-info-viewer)', ANONYMOUS_USER, get('/version'), true],
    ['anonymous /api (discovery is for authenticated users only)', ANONYMOUS_USER, get('/api'), false],
    ['a ServiceAccount on /apis/apps (discovery)', SHOP_DEFAULT, get('/apis/apps'), true],
    ['list pods in its namespace (Role)', SHOP_DEFAULT, get('/api/v1/namespaces/shop/pods'), true],
    [
      'a pod log (subresource named in the rule)',
      SHOP_DEFAULT,
      get('/api/v1/namespaces/shop/pods/x/log'),
      true,
    ],
    [
      'exec (subresource not named)',
      SHOP_DEFAULT,
      requestAttributes('POST', new URL('https://k/api/v1/namespaces/shop/pods/x/exec')),
      false,
    ],
    ['list pods in another namespace', SHOP_DEFAULT, get('/api/v1/namespaces/other/pods'), false],
    ['list pods cluster-wide', SHOP_DEFAULT, get('/api/v1/pods'), false],
    [
      'delete a pod (verb not granted)',
      SHOP_DEFAULT,
      requestAttributes('DELETE', new URL('https://k/api/v1/namespaces/shop/pods/x')),
      false,
    ],
    [
      'get the deployment named in resourceNames',
      SHOP_DEFAULT,
      get('/apis/apps/v1/namespaces/shop/deployments/web'),
      true,
    ],
    ['get another deployment', SHOP_DEFAULT, get('/apis/apps/v1/namespaces/shop/deployments/db'), false],
    [
      'list deployments (resourceNames never cover a list)',
      SHOP_DEFAULT,
      get('/apis/apps/v1/namespaces/shop/deployments'),
      false,
    ],
    [
      'system:masters, anything',
      { username: 'root', groups: ['system:masters'] },
      get('/api/v1/secrets'),
      true,
    ],
  ];
  it.each(cases)('should decide %s', (_name, user, attrs, allowed) => {
    expect(authorize(aCluster(), user, attrs)).toBe(allowed);
  });

  it('should allow a ServiceAccount bound cluster-wide through a ClusterRoleBinding to the view-like role', () => {
    const store = aCluster();
    store.create(
      `${RBAC}/clusterroles`,
      role('ClusterRole', 'pod-lister', [{ apiGroups: [''], resources: ['pods'], verbs: ['list'] }]),
    );
    store.create(
      `${RBAC}/clusterrolebindings`,
      bindingOf('ClusterRoleBinding', 'pl', { kind: 'ClusterRole', name: 'pod-lister' }, [
        { kind: 'ServiceAccount', name: 'default', namespace: 'shop' },
      ]),
    );

    expect(authorize(store, SHOP_DEFAULT, get('/api/v1/pods'))).toBe(true);
  });
});

describe(requestAttributes.name, () => {
  it('should decode verbs, groups and scope as the API server RequestInfoFactory does', () => {
    expect(get('/api/v1/namespaces/shop/pods/web')).toEqual({
      kind: 'resource',
      verb: 'get',
      group: '',
      resource: 'pods',
      namespace: 'shop',
      name: 'web',
    });
    expect(get('/apis/apps/v1/deployments?watch=true')).toMatchObject({ verb: 'watch', group: 'apps' });
    expect(requestAttributes('DELETE', new URL('https://k/api/v1/namespaces/a/pods'))).toMatchObject({
      verb: 'deletecollection',
    });
    expect(get('/healthz')).toEqual({ kind: 'non-resource', verb: 'get', path: '/healthz' });
  });
});

describe(forbiddenMessage.name, () => {
  it("should word a refusal as kube-apiserver's Forbidden Status message", () => {
    expect(forbiddenMessage(SHOP_DEFAULT, get('/api/v1/namespaces/shop/pods'))).toBe(
      'pods is forbidden: User "system:serviceaccount:shop:default" cannot list resource "pods" in API group "" in the namespace "shop"',
    );
    expect(forbiddenMessage(SHOP_DEFAULT, get('/apis/apps/v1/namespaces/shop/deployments/db'))).toBe(
      'deployments.apps "db" is forbidden: User "system:serviceaccount:shop:default" cannot get resource "deployments" in API group "apps" in the namespace "shop"',
    );
    expect(forbiddenMessage(SHOP_DEFAULT, get('/api/v1/nodes'))).toBe(
      'nodes is forbidden: User "system:serviceaccount:shop:default" cannot list resource "nodes" in API group "" at the cluster scope',
    );
    expect(forbiddenMessage(SHOP_DEFAULT, get('/api/v1/namespaces/shop/pods/x/log'))).toBe(
      'pods "x" is forbidden: User "system:serviceaccount:shop:default" cannot get resource "pods/log" in API group "" in the namespace "shop"',
    );
    expect(forbiddenMessage(ANONYMOUS_USER, get('/api'))).toBe(
      'forbidden: User "system:anonymous" cannot get path "/api"',
    );
  });
});
