import { describe, expect, it } from 'vitest';
import { aDeployment, aRuntime, podsOf } from '../runtime/testing/runtime-harness';
import type { ObjectStore } from '../store/object-store';
import { GarbageCollector } from './garbage-collector.controller';

function markDeleted(store: ObjectStore, resource: string, name: string, finalizers: string[]): void {
  const o = store.get(resource, 'default', name)!;
  store.update(resource, {
    ...o,
    metadata: {
      ...o.metadata,
      resourceVersion: undefined,
      deletionTimestamp: '2026-01-01T00:00:00Z',
      finalizers,
    },
  });
}

describe(GarbageCollector.name, () => {
  it('should delete ReplicaSets and pods in the background when their Deployment is deleted', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/deployments', aDeployment('web', { image: 'nginx:1.27' }, 3));
    await sut.advance(2000);
    store.delete('apps/deployments', 'default', 'web');
    await sut.advance(2000);
    expect(store.list('apps/replicasets', 'default')).toEqual([]);
    expect(podsOf(store, 'web-')).toEqual([]);
  });

  it('should delete dependents first and then the owner when deletion is in the foreground', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/deployments', aDeployment('web', { image: 'nginx:1.27' }, 2));
    await sut.advance(2000);
    markDeleted(store, 'apps/deployments', 'web', ['foregroundDeletion']);
    await sut.settle();
    expect(store.get('apps/deployments', 'default', 'web')).toBeDefined();
    await sut.advance(3000);
    expect(store.get('apps/deployments', 'default', 'web')).toBeUndefined();
    expect(store.list('apps/replicasets', 'default')).toEqual([]);
    expect(podsOf(store, 'web-')).toEqual([]);
  });

  it('should keep the ReplicaSet and its pods without an owner when deletion orphans them', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/deployments', aDeployment('web', { image: 'nginx:1.27' }, 2));
    await sut.advance(2000);
    markDeleted(store, 'apps/deployments', 'web', ['orphan']);
    await sut.advance(2000);
    expect(store.get('apps/deployments', 'default', 'web')).toBeUndefined();
    const rs = store.list('apps/replicasets', 'default');
    expect(rs).toHaveLength(1);
    expect(rs[0]!.metadata.ownerReferences).toBeUndefined();
    expect(podsOf(store, 'web-')).toHaveLength(2);
    // Applying the Deployment again adopts the orphaned ReplicaSet instead of starting over.
    const pods = podsOf(store, 'web-').map((p) => p.metadata?.name);
    store.create('apps/deployments', aDeployment('web', { image: 'nginx:1.27' }, 2));
    await sut.advance(2000);
    expect(store.list('apps/replicasets', 'default').map((r) => r.metadata.name)).toEqual([
      rs[0]!.metadata.name,
    ]);
    expect(podsOf(store, 'web-').map((p) => p.metadata?.name)).toEqual(pods);
  });
});
