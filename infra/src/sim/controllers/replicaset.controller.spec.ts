import type { V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { as } from '../runtime/context';
import { aPod, aRuntime, eventReasons, podsOf, podStatusWord } from '../runtime/testing/runtime-harness';
import { ReplicaSetController } from './replicaset.controller';

function aReplicaSet(replicas: number) {
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: { name: 'rs', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'rs' } },
      template: {
        metadata: { labels: { app: 'rs' } },
        spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
      },
    },
  };
}

describe(ReplicaSetController.name, () => {
  it('should replace a deleted pod to hold its count', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/replicasets', aReplicaSet(2));
    await sut.advance(2000);
    const [first] = podsOf(store, 'rs-');
    store.delete('pods', 'default', first!.metadata!.name!);
    await sut.advance(2000);
    const pods = podsOf(store, 'rs-');
    expect(pods.map(podStatusWord)).toEqual(['Running', 'Running']);
    expect(pods.map((p) => p.metadata?.name)).not.toContain(first!.metadata!.name);
    expect(eventReasons(store, 'rs')).toEqual(['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
    expect(as<V1ReplicaSet>(store.get('apps/replicasets', 'default', 'rs')!).status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
    });
  });

  it('should adopt an orphan pod its selector matches instead of creating one', async () => {
    const { sut, store } = await aRuntime();
    store.create('pods', aPod('orphan', { containers: [{ name: 'c', image: 'nginx:1.27' }] }, { app: 'rs' }));
    await sut.advance(1000);
    store.create('apps/replicasets', aReplicaSet(1));
    await sut.advance(2000);
    expect(podsOf(store, '').map((p) => p.metadata?.name)).toEqual(['orphan']);
    expect(podsOf(store, 'orphan')[0]!.metadata?.ownerReferences?.[0]).toMatchObject({
      kind: 'ReplicaSet',
      name: 'rs',
      controller: true,
    });
  });

  it('should record FailedCreate with the quota message and back off when the pod quota is reached', async () => {
    const { sut, store } = await aRuntime();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // Room for two more pods in the whole cluster.
      (store.limits as { pods: number }).pods = store.usage().pods + 2;
      store.create('apps/replicasets', aReplicaSet(4));
      await sut.advance(2000);
      expect(podsOf(store, 'rs-')).toHaveLength(2);
      const failed = store
        .list('events', 'default')
        .filter((e) => e.reason === 'FailedCreate' && (e.involvedObject as { name: string }).name === 'rs');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        type: 'Warning',
        source: { component: 'replicaset-controller' },
        message: `Error creating: pods "rs-" is forbidden: exceeded quota: netlab-cluster-quota, requested: pods=1, used: pods=${store.limits.pods}, limited: pods=${store.limits.pods}`,
      });
      // A minute of retries at the quota: exponential back-off, not one attempt per event.
      await sut.advance(60_000);
      const count = Number(
        store.list('events', 'default').find((e) => e.reason === 'FailedCreate')!.count ?? 1,
      );
      expect(count).toBeGreaterThan(1);
      expect(count).toBeLessThanOrEqual(16);
      expect(errors).not.toHaveBeenCalled();
      // Once the quota has room, the next retry creates the missing pods.
      (store.limits as { pods: number }).pods += 2;
      await sut.advance(120_000);
      expect(podsOf(store, 'rs-')).toHaveLength(4);
    } finally {
      errors.mockRestore();
    }
  });
});
