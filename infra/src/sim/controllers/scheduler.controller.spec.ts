import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { as } from '../runtime/context';
import { aPod, aRuntime, eventReasons } from '../runtime/testing/runtime-harness';
import { Scheduler } from './scheduler.controller';

const container = { containers: [{ name: 'app', image: 'nginx:1.27' }] };

describe(Scheduler.name, () => {
  it.each([
    { name: 'avoids the tainted control plane', spec: {}, nodes: ['lab-worker', 'lab-worker2'] },
    {
      name: 'follows nodeSelector',
      spec: { nodeSelector: { 'kubernetes.io/hostname': 'lab-worker2' } },
      nodes: ['lab-worker2'],
    },
    {
      name: 'uses the control plane when tolerated and selected',
      spec: {
        nodeSelector: { 'node-role.kubernetes.io/control-plane': '' },
        tolerations: [
          { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
        ],
      },
      nodes: ['lab-control-plane'],
    },
  ])('should place the pod on an eligible node when it $name', async ({ spec, nodes }) => {
    const { sut, store } = await aRuntime();
    store.create('pods', aPod('p', { ...container, ...spec }));
    await sut.advance(2000);
    const pod = as<V1Pod>(store.get('pods', 'default', 'p')!);
    expect(nodes).toContain(pod.spec?.nodeName);
    expect(eventReasons(store, 'p')[0]).toBe('Scheduled');
    const scheduled = store.list('events', 'default').find((e) => e.reason === 'Scheduled')!;
    expect(scheduled.message).toBe(`Successfully assigned default/p to ${pod.spec?.nodeName}`);
  });

  it('should leave the pod Pending with FailedScheduling naming each filter when no node fits', async () => {
    const { sut, store } = await aRuntime();
    store.create('pods', aPod('p', { ...container, nodeSelector: { disk: 'ssd' } }));
    await sut.advance(2000);
    const pod = as<V1Pod>(store.get('pods', 'default', 'p')!);
    expect(pod.spec?.nodeName).toBeUndefined();
    expect(pod.status?.conditions?.[0]).toMatchObject({
      type: 'PodScheduled',
      status: 'False',
      reason: 'Unschedulable',
    });
    const event = store.list('events', 'default').find((e) => e.reason === 'FailedScheduling')!;
    expect(event.type).toBe('Warning');
    expect(event.message).toBe(
      "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 node(s) didn't match Node's node affinity/selector. preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.",
    );
  });

  it('should schedule a pending pod once a node gets the label it selects', async () => {
    const { sut, store } = await aRuntime();
    store.create('pods', aPod('p', { ...container, nodeSelector: { disk: 'ssd' } }));
    await sut.advance(1000);
    const node = store.get('nodes', undefined, 'lab-worker')!;
    store.update('nodes', {
      ...node,
      metadata: {
        ...node.metadata,
        resourceVersion: undefined,
        labels: { ...node.metadata.labels, disk: 'ssd' },
      },
    });
    await sut.advance(2000);
    expect(as<V1Pod>(store.get('pods', 'default', 'p')!).spec?.nodeName).toBe('lab-worker');
    expect(as<V1Pod>(store.get('pods', 'default', 'p')!).status?.phase).toBe('Running');
  });

  it('should report Insufficient cpu when no node has the requested CPU left', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'pods',
      aPod('big', {
        containers: [
          { name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '4', memory: '1Gi' } } },
        ],
      }),
    );
    store.create(
      'pods',
      aPod('fits', {
        containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '1500m' } } }],
      }),
    );
    await sut.advance(2000);
    expect(as<V1Pod>(store.get('pods', 'default', 'big')!).spec?.nodeName).toBeUndefined();
    expect(as<V1Pod>(store.get('pods', 'default', 'fits')!).spec?.nodeName).toMatch(/worker/);
    const event = store.list('events', 'default').find((e) => e.reason === 'FailedScheduling')!;
    expect(event.message).toBe(
      '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod.',
    );
  });
});
