import { describe, expect, it } from 'vitest';
import type { V1Node, V1Pod } from '@kubernetes/client-node';
import { SimClusterRuntime } from './cluster-runtime';
import { as } from './context';
import { aPod, aRuntime, podStatusWord } from './testing/runtime-harness';

describe(SimClusterRuntime.name, () => {
  it('should bootstrap kind-like nodes, namespaces and running kube-system pods when started', async () => {
    const { store, sut } = await aRuntime();
    const nodes = store.list('nodes').map((n) => as<V1Node>(n));
    expect(nodes.map((n) => n.metadata?.name)).toEqual(['lab-control-plane', 'lab-worker', 'lab-worker2']);
    expect(nodes.map((n) => n.status?.conditions?.find((c) => c.type === 'Ready')?.status)).toEqual([
      'True',
      'True',
      'True',
    ]);
    expect(nodes.map((n) => n.spec?.podCIDR)).toEqual(['10.244.0.0/24', '10.244.1.0/24', '10.244.2.0/24']);
    expect(store.list('namespaces').map((n) => n.metadata.name)).toEqual([
      'default',
      'kube-node-lease',
      'kube-public',
      'kube-system',
    ]);
    const system = store.list('pods', 'kube-system').map((p) => as<V1Pod>(p));
    const byOwner = system.map(
      (p) =>
        `${p.metadata?.ownerReferences?.[0]?.kind ?? 'Node'}/${p.metadata?.labels?.['k8s-app'] ?? p.metadata?.labels?.component} ${podStatusWord(p)}`,
    );
    expect(byOwner.sort()).toEqual([
      'DaemonSet/kindnet Running',
      'DaemonSet/kindnet Running',
      'DaemonSet/kindnet Running',
      'DaemonSet/kube-proxy Running',
      'DaemonSet/kube-proxy Running',
      'DaemonSet/kube-proxy Running',
      'Node/etcd Running',
      'Node/kube-apiserver Running',
      'Node/kube-controller-manager Running',
      'Node/kube-scheduler Running',
      'ReplicaSet/kube-dns Running',
      'ReplicaSet/kube-dns Running',
    ]);
    expect(store.get('services', 'kube-system', 'kube-dns')?.spec).toMatchObject({ clusterIP: '10.96.0.10' });
    expect(store.list('serviceaccounts').map((s) => `${s.metadata.namespace}/${s.metadata.name}`)).toContain(
      'default/default',
    );
    await sut.stop();
  });

  it('should leave a single-node cluster control plane schedulable, as kind does', async () => {
    const { store, sut } = await aRuntime({ nodes: 1 });
    store.create('pods', aPod('p', { containers: [{ name: 'c', image: 'nginx:1.27' }] }));
    await sut.advance(2000);
    const pod = as<V1Pod>(store.get('pods', 'default', 'p')!);
    expect(pod.spec?.nodeName).toBe('lab-control-plane');
    expect(podStatusWord(pod)).toBe('Running');
  });
});
