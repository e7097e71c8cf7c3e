import type { V1DaemonSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { as } from '../runtime/context';
import { aRuntime, podsOf, podStatusWord } from '../runtime/testing/runtime-harness';
import { DaemonSetController } from './daemonset.controller';

function ds(tolerations: unknown[] = [], nodeSelector?: Record<string, string>) {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { tolerations, nodeSelector, containers: [{ name: 'a', image: 'registry.k8s.io/pause:3.9' }] },
      },
    },
  };
}

describe(DaemonSetController.name, () => {
  it.each([
    ['every worker (the control plane is tainted)', ds(), ['lab-worker', 'lab-worker2']],
    [
      'every node when it tolerates the control-plane taint',
      ds([{ operator: 'Exists' }]),
      ['lab-control-plane', 'lab-worker', 'lab-worker2'],
    ],
    [
      'the nodes its nodeSelector picks',
      ds([], { 'kubernetes.io/hostname': 'lab-worker2' }),
      ['lab-worker2'],
    ],
  ])('should run one pod on %s', async (_name, manifest, nodes) => {
    const { sut, store } = await aRuntime();
    store.create('apps/daemonsets', manifest);
    await sut.advance(3000);
    const pods = podsOf(store, 'agent-');
    expect(pods.map((p) => p.spec?.nodeName).sort()).toEqual(nodes);
    expect(pods.map(podStatusWord)).toEqual(nodes.map(() => 'Running'));
    const status = as<V1DaemonSet>(store.get('apps/daemonsets', 'default', 'agent')!).status;
    expect(status).toMatchObject({
      desiredNumberScheduled: nodes.length,
      currentNumberScheduled: nodes.length,
      numberReady: nodes.length,
    });
  });

  it('should replace pods node by node and record a ControllerRevision per template when the image changes', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/daemonsets', ds());
    await sut.advance(3000);
    const d = store.get('apps/daemonsets', 'default', 'agent')!;
    const spec = structuredClone(d.spec) as V1DaemonSet['spec'];
    spec!.template.spec!.containers[0]!.image = 'registry.k8s.io/pause:3.10';
    store.update(
      'apps/daemonsets',
      { ...d, metadata: { ...d.metadata, resourceVersion: undefined }, spec },
      { bumpGeneration: true },
    );
    await sut.advance(10_000);
    expect(podsOf(store, 'agent-').map((p) => p.spec?.containers[0]?.image)).toEqual([
      'registry.k8s.io/pause:3.10',
      'registry.k8s.io/pause:3.10',
    ]);
    const revisions = store
      .list('apps/controllerrevisions', 'default')
      .map((r) => Number(r.revision))
      .sort();
    expect(revisions).toEqual([1, 2]);
  });

  it('should record FailedCreate with the quota message when a pod for a node exceeds the pod quota', async () => {
    const { sut, store } = await aRuntime();
    (store.limits as { pods: number }).pods = store.usage().pods + 1;
    store.create('apps/daemonsets', ds());
    await sut.advance(3000);
    expect(podsOf(store, 'agent-')).toHaveLength(1);
    const failed = store.list('events', 'default').filter((e) => e.reason === 'FailedCreate');
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      type: 'Warning',
      source: { component: 'daemonset-controller' },
      message: `Error creating: pods "agent-" is forbidden: exceeded quota: netlab-cluster-quota, requested: pods=1, used: pods=${store.limits.pods}, limited: pods=${store.limits.pods}`,
    });
    (store.limits as { pods: number }).pods += 1;
    await sut.advance(60_000);
    expect(podsOf(store, 'agent-')).toHaveLength(2);
  });
});
