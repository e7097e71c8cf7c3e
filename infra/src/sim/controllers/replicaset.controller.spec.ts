import type { V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
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
});
