import type { V1EndpointSlice, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { as } from '../runtime/context';
import { aPod, aRuntime, aService } from '../runtime/testing/runtime-harness';
import { EndpointsController, lastChangeTriggerTime, TRIGGER_TIME_ANNOTATION } from './endpoints.controller';

describe(EndpointsController.name, () => {
  it('should publish ready pods of the selector in an EndpointSlice with the resolved named targetPort', async () => {
    const { sut, store } = await aRuntime();
    const container = { name: 'w', image: 'nginx:1.27', ports: [{ name: 'http', containerPort: 80 }] };
    store.create('pods', aPod('a', { containers: [container] }, { app: 'web' }));
    store.create('pods', aPod('b', { containers: [container] }, { app: 'other' }));
    store.create('services', aService('web', { app: 'web' }, 8080, 'http', '10.96.1.1'));
    await sut.advance(3000);
    const slices = store
      .list('discovery.k8s.io/endpointslices', 'default')
      .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')
      .map((s) => as<V1EndpointSlice>(s));
    expect(slices).toHaveLength(1);
    expect(slices[0]!.endpoints.map((e) => [e.targetRef?.name, e.conditions?.ready])).toEqual([['a', true]]);
    expect(slices[0]!.ports).toEqual([{ name: 'http', port: 80, protocol: 'TCP' }]);
  });

  it('should keep the endpoints it already wrote in place and append a new pod at the end when a pod is replaced', async () => {
    const { sut, store } = await aRuntime();
    const container = { name: 'w', image: 'nginx:1.27' };
    for (const n of ['a', 'b', 'c'])
      store.create('pods', aPod(n, { containers: [container] }, { app: 'web' }));
    store.create('services', aService('web', { app: 'web' }, 80, 80, '10.96.1.1'));
    await sut.advance(3000);
    const order = () =>
      store
        .list('discovery.k8s.io/endpointslices', 'default')
        .filter((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')
        .flatMap((s) => as<V1EndpointSlice>(s).endpoints.map((e) => e.targetRef?.name));
    const before = order();
    expect([...before].sort()).toEqual(['a', 'b', 'c']);

    store.delete('pods', 'default', before[0]!);
    store.create('pods', aPod('d', { containers: [container] }, { app: 'web' }));
    await sut.advance(5000);

    expect(order()).toEqual([...before.slice(1), 'd']);
  });

  it('should mirror hand-written Endpoints of a selectorless Service so its VIP reaches them', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
    );
    store.create('pods', aPod('backend', { containers: [{ name: 'w', image: 'nginx:1.27' }] }));
    await sut.advance(3000);
    const ip = String((store.get('pods', 'default', 'backend')!.status as { podIP: string }).podIP);
    store.create('services', {
      ...aService('ext', {}, 80, 80, '10.96.2.2'),
      spec: {
        type: 'ClusterIP',
        clusterIP: '10.96.2.2',
        clusterIPs: ['10.96.2.2'],
        ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
      },
    });
    store.create('endpoints', {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { name: 'ext', namespace: 'default' },
      subsets: [{ addresses: [{ ip }], ports: [{ port: 80, protocol: 'TCP' }] }],
    });
    await sut.advance(1000);
    const mirrored = store.get('discovery.k8s.io/endpointslices', 'default', 'ext-mirror')!;
    expect(mirrored.metadata.labels?.['endpointslice.kubernetes.io/managed-by']).toBe(
      'endpointslicemirroring-controller.k8s.io',
    );
    expect(sut.dataplane.connect({ namespace: 'default', name: 'client' }, '10.96.2.2', 80).verdict).toBe(
      'connected',
    );
  });

  it('should stamp the Endpoints and the EndpointSlice with the last change trigger time when pods become ready', async () => {
    const { sut, store } = await aRuntime();
    store.create('pods', aPod('a', { containers: [{ name: 'w', image: 'nginx:1.27' }] }, { app: 'web' }));
    store.create('services', aService('web', { app: 'web' }, 80, 80, '10.96.1.1'));
    await sut.advance(3000);
    const pod = as<V1Pod>(store.get('pods', 'default', 'a')!);
    const ready = String(pod.status!.conditions!.find((c) => c.type === 'Ready')!.lastTransitionTime);
    const created = String(store.get('services', 'default', 'web')!.metadata.creationTimestamp);
    // The later of the two (the store stamps creation by wall time, the kubelet by the test clock).
    const expected = [ready, created].sort().at(-1);
    const slice = store
      .list('discovery.k8s.io/endpointslices', 'default')
      .find((s) => s.metadata.labels?.['kubernetes.io/service-name'] === 'web')!;
    const ep = store.get('endpoints', 'default', 'web')!;

    expect(ep.metadata.annotations?.[TRIGGER_TIME_ANNOTATION]).toBe(expected);
    expect(slice.metadata.annotations?.[TRIGGER_TIME_ANNOTATION]).toBe(expected);
  });
});

describe(lastChangeTriggerTime.name, () => {
  it('should take the latest of the Service creation and the selected pods Ready transitions', () => {
    const svc = {
      metadata: { creationTimestamp: '2026-01-01T00:00:05Z' },
      spec: { selector: { app: 'web' } },
    };
    const pod = (app: string, t: string) => ({
      metadata: { labels: { app }, creationTimestamp: '2026-01-01T00:00:00Z' },
      status: { conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: t }] },
    });

    const sut = lastChangeTriggerTime(
      svc as never,
      [pod('web', '2026-01-01T00:00:09Z'), pod('other', '2026-01-01T00:00:30Z')] as never,
    );

    expect(sut).toBe('2026-01-01T00:00:09Z');
  });
});
