import type { V1EndpointSlice, V1StatefulSet } from '@kubernetes/client-node';
import { describe, expect, it, vi } from 'vitest';
import { as } from '../runtime/context';
import { aRuntime, podsOf, podStatusWord } from '../runtime/testing/runtime-harness';
import { defaultStatefulSet } from '../registry/defaults';
import type { ObjectStore } from '../store/object-store';
import { StatefulSetController, ordinalOf } from './statefulset.controller';

function aStatefulSet(replicas: number, policy = 'OrderedReady', image = 'nginx:1.27') {
  const sts = {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'db', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'db',
      podManagementPolicy: policy,
      selector: { matchLabels: { app: 'db' } },
      template: {
        metadata: { labels: { app: 'db' } },
        spec: {
          terminationGracePeriodSeconds: 0,
          containers: [
            {
              name: 'db',
              image,
              ports: [{ containerPort: 80 }],
              readinessProbe: { tcpSocket: { port: 80 }, periodSeconds: 1 },
            },
          ],
        },
      },
    },
  };
  defaultStatefulSet(sts as never);
  return sts;
}

const headless = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'db', namespace: 'default' },
  spec: {
    clusterIP: 'None',
    clusterIPs: ['None'],
    selector: { app: 'db' },
    ports: [{ name: 'http', port: 80, targetPort: 80, protocol: 'TCP' }],
  },
};

const names = (store: ObjectStore) =>
  podsOf(store, 'db-')
    .map((p) => p.metadata!.name!)
    .sort();
const messages = (store: ObjectStore, reason: string) =>
  store
    .list('events', 'default')
    .filter((e) => e.reason === reason)
    .sort((a, b) =>
      a.metadata.resourceVersion.localeCompare(b.metadata.resourceVersion, undefined, { numeric: true }),
    )
    .map((e) => e.message);
const statusOf = (store: ObjectStore) =>
  as<V1StatefulSet>(store.get('apps/statefulsets', 'default', 'db')!).status;
const scale = (store: ObjectStore, replicas: number) => {
  const s = store.get('apps/statefulsets', 'default', 'db')!;
  store.update(
    'apps/statefulsets',
    {
      ...s,
      metadata: { ...s.metadata, resourceVersion: undefined },
      spec: { ...(s.spec as object), replicas },
    },
    { bumpGeneration: true },
  );
};

describe(StatefulSetController.name, () => {
  it('should read the ordinal of a pod name when it is NAME-<integer>', () => {
    expect(ordinalOf('db', 'db-0')).toBe(0);
    expect(ordinalOf('db', 'db-12')).toBe(12);
    expect(ordinalOf('db', 'db-01')).toBeUndefined();
    expect(ordinalOf('db', 'db-x7k2p')).toBeUndefined();
    expect(ordinalOf('db', 'dbx-1')).toBeUndefined();
  });

  it('should create db-1 only after db-0 is Running and Ready when the policy is OrderedReady', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/statefulsets', aStatefulSet(3));
    await sut.settle();
    expect(names(store)).toEqual(['db-0']);
    await sut.advance(10_000);
    expect(names(store)).toEqual(['db-0', 'db-1', 'db-2']);
    expect(podsOf(store, 'db-').map(podStatusWord)).toEqual(['Running', 'Running', 'Running']);
    expect(messages(store, 'SuccessfulCreate')).toEqual([
      'create Pod db-0 in StatefulSet db successful',
      'create Pod db-1 in StatefulSet db successful',
      'create Pod db-2 in StatefulSet db successful',
    ]);
  });

  it('should create every pod at once when the policy is Parallel', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/statefulsets', aStatefulSet(3, 'Parallel'));
    await sut.settle();
    expect(names(store)).toEqual(['db-0', 'db-1', 'db-2']);
  });

  it('should give each pod its name as hostname, the serviceName as subdomain and the set labels', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/statefulsets', aStatefulSet(2));
    await sut.advance(10_000);
    const pod = podsOf(store, 'db-1')[0]!;
    expect(pod.spec).toMatchObject({ hostname: 'db-1', subdomain: 'db' });
    expect(pod.metadata?.labels).toMatchObject({
      app: 'db',
      'apps.kubernetes.io/pod-index': '1',
      'statefulset.kubernetes.io/pod-name': 'db-1',
    });
    expect(pod.metadata?.labels?.['controller-revision-hash']).toMatch(/^db-[a-z0-9]+$/);
  });

  it('should publish per-pod hostnames in the headless Service EndpointSlice', async () => {
    const { sut, store } = await aRuntime();
    store.create('services', headless);
    store.create('apps/statefulsets', aStatefulSet(2));
    await sut.advance(10_000);
    const slice = as<V1EndpointSlice>(
      store
        .list('discovery.k8s.io/endpointslices', 'default')
        .find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'db')!,
    );
    expect(slice.endpoints.map((e) => e.hostname).sort()).toEqual(['db-0', 'db-1']);
  });

  it('should write the status fields kubectl reads when the set is rolled out', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/statefulsets', aStatefulSet(2));
    await sut.advance(10_000);
    const status = statusOf(store)!;
    expect(status).toMatchObject({
      replicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      currentReplicas: 2,
      updatedReplicas: 2,
      collisionCount: 0,
      observedGeneration: 1,
    });
    expect(status.currentRevision).toBe(status.updateRevision);
  });

  it('should remove the highest ordinals first, one at a time, when scaled down', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/statefulsets', aStatefulSet(3));
    await sut.advance(10_000);
    scale(store, 1);
    await sut.advance(10_000);
    expect(names(store)).toEqual(['db-0']);
    expect(statusOf(store)).toMatchObject({ replicas: 1, readyReplicas: 1 });
    expect(messages(store, 'SuccessfulDelete')).toEqual([
      'delete Pod db-2 in StatefulSet db successful',
      'delete Pod db-1 in StatefulSet db successful',
    ]);
  });

  it('should replace pods from the highest ordinal down and move currentRevision when the image changes', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/statefulsets', aStatefulSet(2));
    await sut.advance(10_000);
    const before = statusOf(store)!.currentRevision;
    const s = store.get('apps/statefulsets', 'default', 'db')!;
    const spec = structuredClone(s.spec) as V1StatefulSet['spec'];
    spec!.template.spec!.containers[0]!.image = 'nginx:1.28';
    store.update(
      'apps/statefulsets',
      { ...s, metadata: { ...s.metadata, resourceVersion: undefined }, spec },
      { bumpGeneration: true },
    );
    await sut.advance(20_000);
    expect(podsOf(store, 'db-').map((p) => p.spec?.containers[0]?.image)).toEqual([
      'nginx:1.28',
      'nginx:1.28',
    ]);
    expect(messages(store, 'SuccessfulDelete')).toEqual([
      'delete Pod db-1 in StatefulSet db successful',
      'delete Pod db-0 in StatefulSet db successful',
    ]);
    const status = statusOf(store)!;
    expect(status.currentRevision).not.toBe(before);
    expect(status).toMatchObject({ updatedReplicas: 2, currentReplicas: 2, observedGeneration: 2 });
  });

  it('should record FailedCreate with the quota message and back off when the pod quota is reached', async () => {
    const { sut, store } = await aRuntime();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      (store.limits as { pods: number }).pods = store.usage().pods + 1; // room for db-0 only
      store.create('apps/statefulsets', aStatefulSet(2, 'Parallel'));
      await sut.advance(2000);
      expect(names(store)).toEqual(['db-0']);
      const failed = store.list('events', 'default').filter((e) => e.reason === 'FailedCreate');
      expect(failed).toHaveLength(1);
      expect(failed[0]).toMatchObject({
        type: 'Warning',
        source: { component: 'statefulset-controller' },
        message: `create Pod db-1 in StatefulSet db failed error: pods "db-1" is forbidden: exceeded quota: netlab-cluster-quota, requested: pods=1, used: pods=${store.limits.pods}, limited: pods=${store.limits.pods}`,
      });
      // A minute at the quota: exponential back-off, not one attempt per event.
      await sut.advance(60_000);
      expect(
        Number(store.list('events', 'default').find((e) => e.reason === 'FailedCreate')!.count ?? 1),
      ).toBeLessThanOrEqual(16);
      expect(errors).not.toHaveBeenCalled();
      (store.limits as { pods: number }).pods += 1;
      await sut.advance(120_000);
      expect(names(store)).toEqual(['db-0', 'db-1']);
    } finally {
      errors.mockRestore();
    }
  });
});
