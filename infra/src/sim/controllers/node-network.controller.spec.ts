import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { as } from '../runtime/context';
import { aDeployment, aPod, aRuntime, podsOf, podStatusWord } from '../runtime/testing/runtime-harness';
import { systemDaemonSet } from '../runtime/system-manifests';
import { CNI_NOT_READY_MESSAGE, NodeNetworkController } from './node-network.controller';

function readiness(nodes: V1Node[]): string[] {
  return nodes.map((n) => {
    const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
    return `${n.metadata?.name} ${ready?.status === 'True' ? 'Ready' : 'NotReady'}`;
  });
}

describe(NodeNetworkController.name, () => {
  it('should keep nodes NotReady with the kubelet message and the not-ready taint when the cluster has no CNI', async () => {
    const { store } = await aRuntime({ cni: false });
    const nodes = store.list('nodes').map((n) => as<V1Node>(n));
    expect(readiness(nodes)).toEqual([
      'lab-control-plane NotReady',
      'lab-worker NotReady',
      'lab-worker2 NotReady',
    ]);
    const ready = nodes[1]!.status!.conditions!.find((c) => c.type === 'Ready')!;
    expect(ready).toMatchObject({ reason: 'KubeletNotReady', message: CNI_NOT_READY_MESSAGE });
    expect(nodes[1]!.spec?.taints).toEqual([{ key: 'node.kubernetes.io/not-ready', effect: 'NoSchedule' }]);
    // kube-proxy runs on the host network; CoreDNS waits for a schedulable node.
    const system = store.list('pods', 'kube-system').map((p) => as<V1Pod>(p));
    expect(system.filter((p) => p.metadata?.labels?.['k8s-app'] === 'kube-proxy').map(podStatusWord)).toEqual(
      ['Running', 'Running', 'Running'],
    );
    expect(
      system
        .filter((p) => p.metadata?.labels?.['k8s-app'] === 'kube-dns')
        .map((p) => p.status?.conditions?.[0]?.reason),
    ).toEqual(['Unschedulable', 'Unschedulable']);
  });

  it('should leave a pod bound to a node without CNI in ContainerCreating with FailedCreatePodSandBox', async () => {
    const { sut, store } = await aRuntime({ cni: false });
    store.create(
      'pods',
      aPod('p', { nodeName: 'lab-worker', containers: [{ name: 'app', image: 'nginx:1.27' }] }),
    );
    store.create(
      'pods',
      aPod('h', {
        nodeName: 'lab-worker',
        hostNetwork: true,
        containers: [{ name: 'app', image: 'nginx:1.27' }],
      }),
    );
    await sut.advance(5000);
    const p = as<V1Pod>(store.get('pods', 'default', 'p')!);
    expect(podStatusWord(p)).toBe('ContainerCreating');
    expect(p.status?.podIP).toBeUndefined();
    const event = store.list('events', 'default').find((e) => e.reason === 'FailedCreatePodSandBox')!;
    expect(event.type).toBe('Warning');
    expect(String(event.message)).toMatch(
      /^Failed to create pod sandbox: rpc error: code = Unknown desc = failed to setup network for sandbox "[0-9a-f]{64}": cni plugin not initialized$/,
    );
    const h = as<V1Pod>(store.get('pods', 'default', 'h')!);
    expect(podStatusWord(h)).toBe('Running');
    expect(h.status?.podIP).toBe('172.18.0.3');
  });

  it.each([
    ['calico', 'docker.io/calico/node:v3.28.0', 'calico-node', true],
    ['flannel', 'docker.io/flannel/flannel:v0.25.5', 'kube-flannel-ds', false],
    ['cilium', 'quay.io/cilium/cilium:v1.15.6', 'cilium', true],
  ])(
    'should make nodes Ready and start waiting pods when a %s DaemonSet is applied',
    async (_name, image, dsName, enforces) => {
      const { sut, store } = await aRuntime({ cni: false });
      store.create('apps/deployments', aDeployment('web', { image: 'nginx:1.27' }, 2));
      store.create(
        'pods',
        aPod('p', { nodeName: 'lab-worker', containers: [{ name: 'app', image: 'nginx:1.27' }] }),
      );
      await sut.advance(2000);
      expect(podsOf(store, 'web-').map(podStatusWord)).toEqual(['Pending', 'Pending']);
      store.create('apps/daemonsets', systemDaemonSet(dsName, { 'k8s-app': dsName }, image));
      await sut.advance(5000);
      expect(readiness(store.list('nodes').map((n) => as<V1Node>(n)))).toEqual([
        'lab-control-plane Ready',
        'lab-worker Ready',
        'lab-worker2 Ready',
      ]);
      expect(podsOf(store, 'web-').map(podStatusWord)).toEqual(['Running', 'Running']);
      const p = as<V1Pod>(store.get('pods', 'default', 'p')!);
      expect(podStatusWord(p)).toBe('Running');
      expect(p.status?.podIP).toMatch(/^10\.244\.1\.\d+$/);
      expect(sut.network.policyEnforced()).toBe(enforces);
    },
  );

  it('should taint a cordoned node and record NodeReady when a CNI arrives', async () => {
    const { sut, store } = await aRuntime({ cni: false });
    const node = store.get('nodes', undefined, 'lab-worker')!;
    store.update('nodes', {
      ...node,
      metadata: { ...node.metadata, resourceVersion: undefined },
      spec: { ...(node.spec as object), unschedulable: true },
    });
    await sut.settle();
    const taints = as<V1Node>(store.get('nodes', undefined, 'lab-worker')!).spec?.taints?.map(
      (t) => `${t.key}:${t.effect}`,
    );
    expect(taints).toEqual([
      'node.kubernetes.io/unschedulable:NoSchedule',
      'node.kubernetes.io/not-ready:NoSchedule',
    ]);
    store.create(
      'apps/daemonsets',
      systemDaemonSet('kindnet', { 'k8s-app': 'kindnet' }, 'docker.io/kindest/kindnetd:v20250512-df8de77b'),
    );
    await sut.advance(3000);
    const ready = store
      .list('events', 'default')
      .filter((e) => e.reason === 'NodeReady')
      .map((e) => e.message);
    expect(ready).toContain('Node lab-worker status is now: NodeReady');
  });
});
