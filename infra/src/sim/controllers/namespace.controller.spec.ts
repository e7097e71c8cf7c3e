import { describe, expect, it } from 'vitest';
import { aRuntime } from '../runtime/testing/runtime-harness';
import { namespaceObject } from '../runtime/bootstrap';
import { NamespaceController } from './namespace.controller';

describe(NamespaceController.name, () => {
  it('should give a new namespace its default ServiceAccount and root CA ConfigMap', async () => {
    const { sut, store } = await aRuntime();
    store.create('namespaces', namespaceObject('shop'));
    await sut.settle();
    expect(store.list('serviceaccounts', 'shop').map((s) => s.metadata.name)).toEqual(['default']);
    expect(store.list('configmaps', 'shop').map((s) => s.metadata.name)).toEqual(['kube-root-ca.crt']);
  });

  it('should empty a Terminating namespace, pods gracefully, and then remove it', async () => {
    const { sut, store } = await aRuntime();
    store.create('namespaces', namespaceObject('shop'));
    store.create('apps/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'shop' },
      spec: {
        replicas: 2,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: { containers: [{ name: 'w', image: 'nginx:1.27' }] },
        },
      },
    });
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cfg', namespace: 'shop' },
      data: { a: 'b' },
    });
    await sut.advance(2000);
    const ns = store.get('namespaces', undefined, 'shop')!;
    store.update('namespaces', {
      ...ns,
      metadata: { ...ns.metadata, resourceVersion: undefined, deletionTimestamp: '2026-01-01T00:00:00Z' },
    });
    await sut.settle();
    expect((store.get('namespaces', undefined, 'shop')?.status as { phase: string }).phase).toBe(
      'Terminating',
    );
    await sut.advance(5000);
    expect(store.get('namespaces', undefined, 'shop')).toBeUndefined();
    expect(store.list('pods', 'shop')).toEqual([]);
    expect(store.list('configmaps', 'shop')).toEqual([]);
  });
});
