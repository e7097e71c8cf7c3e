import { ApiException, KubeConfig, PatchStrategy, type KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { GraderErrorCode } from '../errors';
import { labWith } from '../testing/lab-factory';
import type { ObjectApi } from '../kube/raw-object-api';
import { applyActions } from './apply-actions';

const kc = new KubeConfig();
const key = (o: KubernetesObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;

/** An object API over a map, recording every call. */
class FakeObjectApi implements ObjectApi {
  store = new Map<string, KubernetesObject>();
  calls: string[] = [];
  refuse?: { verb: string; code: number; message: string };

  private check(verb: string) {
    if (this.refuse?.verb === verb) {
      throw new ApiException(
        this.refuse.code,
        'refused',
        JSON.stringify({ kind: 'Status', message: this.refuse.message }),
        {},
      );
    }
  }
  async create(spec: KubernetesObject): Promise<KubernetesObject> {
    this.calls.push(`create ${key(spec)}`);
    this.check('create');
    if (this.store.has(key(spec))) throw new ApiException(409, 'exists', '{}', {});
    this.store.set(key(spec), structuredClone(spec));
    return spec;
  }
  async patch(header: KubernetesObject, body: unknown, strategy: string): Promise<KubernetesObject> {
    this.calls.push(`patch(${strategy}) ${key(header)}`);
    this.check('patch');
    const current = this.store.get(key(header));
    if (!current) throw new ApiException(404, 'not found', '{}', {});
    const patch = body as KubernetesObject;
    const merged = {
      ...current,
      ...patch,
      metadata: { ...current.metadata, ...patch.metadata },
    } as KubernetesObject;
    this.store.set(key(header), merged);
    return merged;
  }
  async read(spec: KubernetesObject): Promise<KubernetesObject> {
    const found = this.store.get(key(spec));
    if (!found) throw new ApiException(404, 'not found', '{}', {});
    return structuredClone(found);
  }
  async replace(spec: KubernetesObject): Promise<KubernetesObject> {
    this.calls.push(`replace ${key(spec)}`);
    this.store.set(key(spec), spec);
    return spec;
  }
  async delete(spec: KubernetesObject): Promise<void> {
    this.calls.push(`delete ${key(spec)}`);
    if (!this.store.delete(key(spec))) throw new ApiException(404, 'not found', '{}', {});
  }
  async list(header: KubernetesObject, selector: string): Promise<KubernetesObject[]> {
    this.calls.push(`list ${header.kind}/${header.metadata?.namespace ?? ''} ${selector}`);
    const wanted = selector.split(',').map((kv) => kv.split('='));
    return [...this.store.values()].filter(
      (o) =>
        o.kind === header.kind &&
        o.metadata?.namespace === header.metadata?.namespace &&
        wanted.every(([k, v]) => o.metadata?.labels?.[k!] === v),
    );
  }
}

const ns = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } };
const svc = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { ports: [{ port: 80, targetPort: 8080 }] },
};
const deploy = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'shop' },
  spec: { template: { spec: { containers: [{ name: 'web', image: 'hashicorp/http-echo:1.0' }] } } },
};
const lab = labWith([{ id: 'n', title: 'n', type: 'nodes-ready' }], {
  'manifests/app.yaml': [ns, svc, deploy] as never,
});

describe(applyActions.name, () => {
  it('should create every object of a manifest in order, labelling namespaces and mapping images', async () => {
    const api = new FakeObjectApi();
    const sut = await applyActions(kc, lab, [{ apply: 'manifests/app.yaml' }], {
      api,
      namespaceLabels: { 'netlab.dev/cluster': 'c1' },
      imageMap: { 'hashicorp/http-echo': 'mirror/http-echo' },
    });
    expect(sut).toEqual([
      { verb: 'created', object: 'Namespace shop' },
      { verb: 'created', object: 'Service shop/web' },
      { verb: 'created', object: 'Deployment shop/web' },
    ]);
    expect(api.store.get('Namespace//shop')?.metadata?.labels).toEqual({ 'netlab.dev/cluster': 'c1' });
    expect(JSON.stringify(api.store.get('Deployment/shop/web'))).toContain('mirror/http-echo:1.0');
  });

  it('should merge a manifest into objects that already exist', async () => {
    const api = new FakeObjectApi();
    await applyActions(kc, lab, [{ apply: 'manifests/app.yaml' }], { api });
    const sut = await applyActions(kc, lab, [{ apply: 'manifests/app.yaml' }], { api });
    expect(sut.map((c) => c.verb)).toEqual(['configured', 'configured', 'configured']);
    expect(api.calls).toContain(`patch(${PatchStrategy.MergePatch}) Service/shop/web`);
  });

  it('should apply a JSON patch by reading, patching and replacing the object', async () => {
    const api = new FakeObjectApi();
    await applyActions(kc, lab, [{ apply: 'manifests/app.yaml' }], { api });
    await applyActions(
      kc,
      lab,
      [
        {
          patch: {
            target: { kind: 'Service', namespace: 'shop', name: 'web' },
            type: 'json',
            patch: [{ op: 'replace', path: '/spec/ports/0/targetPort', value: 9090 }],
          },
        },
      ],
      { api },
    );
    expect((api.store.get('Service/shop/web') as typeof svc).spec.ports[0]!.targetPort).toBe(9090);
  });

  it('should send strategic merge patches with the object header', async () => {
    const api = new FakeObjectApi();
    await applyActions(kc, lab, [{ apply: 'manifests/app.yaml' }], { api });
    await applyActions(
      kc,
      lab,
      [
        {
          patch: {
            target: { kind: 'Deployment', namespace: 'shop', name: 'web' },
            type: 'strategic',
            patch: { spec: { replicas: 0 } },
          },
        },
      ],
      { api },
    );
    expect(api.calls.at(-1)).toBe(`patch(${PatchStrategy.StrategicMergePatch}) Deployment/shop/web`);
    expect((api.store.get('Deployment/shop/web') as { spec: { replicas?: number } }).spec.replicas).toBe(0);
  });

  it('should treat deleting a missing object as done', async () => {
    const api = new FakeObjectApi();
    const sut = await applyActions(
      kc,
      lab,
      [{ delete: { kind: 'NetworkPolicy', namespace: 'shop', name: 'gone' } }],
      { api },
    );
    expect(sut).toEqual([{ verb: 'unchanged', object: 'NetworkPolicy shop/gone (already gone)' }]);
  });

  it('should raise ACTION_FAILED naming the object and the API reason when the API refuses', async () => {
    const api = new FakeObjectApi();
    api.refuse = {
      verb: 'create',
      code: 422,
      message: 'Service "web" is invalid: spec.ports[0].targetPort: Invalid value',
    };
    await expect(applyActions(kc, lab, [{ apply: 'manifests/app.yaml' }], { api })).rejects.toMatchObject({
      code: GraderErrorCode.ACTION_FAILED,
      message:
        'apply manifests/app.yaml: Namespace shop was refused: Service "web" is invalid: spec.ports[0].targetPort: Invalid value',
    });
  });

  it('should explain a JSON patch that does not fit the object', async () => {
    const api = new FakeObjectApi();
    await applyActions(kc, lab, [{ apply: 'manifests/app.yaml' }], { api });
    await expect(
      applyActions(
        kc,
        lab,
        [
          {
            patch: {
              target: { kind: 'Service', namespace: 'shop', name: 'web' },
              type: 'json',
              patch: [{ op: 'replace', path: '/spec/nope/0', value: 1 }],
            },
          },
        ],
        { api },
      ),
    ).rejects.toThrow(/Service shop\/web was refused: the JSON patch does not fit/);
  });
});

describe('applyActions capture', () => {
  const pod = (name: string, ip?: string) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'shop', labels: { app: 'db' } },
    ...(ip ? { status: { podIP: ip } } : {}),
  });
  const clientConfig = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'client', namespace: 'shop' },
    data: { DB_HOST: '{{ dbIP }}', DB_URL: 'http://{{ dbIP }}:5432/' },
  };
  const captureLab = labWith([{ id: 'n', title: 'n', type: 'nodes-ready' }], {
    'manifests/client.yaml': [clientConfig] as never,
  });
  const capture = (target: Record<string, unknown>, timeout = '1s') => ({
    capture: {
      target: { kind: 'Pod', namespace: 'shop', ...target },
      jsonPath: '{.status.podIP}',
      as: 'dbIP',
      timeout,
    },
  });

  it('should fill a later manifest with the value read from the first object its labels select', async () => {
    const api = new FakeObjectApi();
    api.store.set('Pod/shop/db-b', pod('db-b', '10.244.2.9'));
    api.store.set('Pod/shop/db-a', pod('db-a', '10.244.1.7'));
    const sut = await applyActions(
      kc,
      captureLab,
      [capture({ labels: { app: 'db' } }) as never, { apply: 'manifests/client.yaml' }],
      { api },
    );
    expect(sut[0]).toEqual({ verb: 'captured', object: 'dbIP = 10.244.1.7' });
    expect(api.store.get('ConfigMap/shop/client')).toMatchObject({
      data: { DB_HOST: '10.244.1.7', DB_URL: 'http://10.244.1.7:5432/' },
    });
  });

  it('should wait for the field to be set when the target exists but has no value yet', async () => {
    const api = new FakeObjectApi();
    api.store.set('Pod/shop/db-0', pod('db-0'));
    setTimeout(() => api.store.set('Pod/shop/db-0', pod('db-0', '10.244.1.3')), 300);
    const captured: Record<string, string> = {};
    await applyActions(kc, captureLab, [capture({ name: 'db-0' }, '10s') as never], { api, captured });
    expect(captured).toEqual({ dbIP: '10.244.1.3' });
  });

  it('should fail naming the capture, the target and the path when the field never appears', async () => {
    const api = new FakeObjectApi();
    api.store.set('Pod/shop/db-0', pod('db-0'));
    await expect(
      applyActions(kc, captureLab, [capture({ name: 'db-0' }, '300ms') as never], { api }),
    ).rejects.toMatchObject({
      code: GraderErrorCode.ACTION_FAILED,
      message:
        'capture dbIP: Pod shop/db-0 has no {.status.podIP} after 300ms (raise capture.timeout, or check the target and jsonPath)',
    });
  });

  it('should refuse a placeholder no earlier capture set when an action uses it', async () => {
    const api = new FakeObjectApi();
    await expect(
      applyActions(kc, captureLab, [{ apply: 'manifests/client.yaml' }], { api }),
    ).rejects.toMatchObject({
      code: GraderErrorCode.ACTION_FAILED,
      message: 'apply manifests/client.yaml uses {{ dbIP }}, but no capture action before it set dbIP',
    });
    expect(api.calls).toEqual([]);
  });
});
