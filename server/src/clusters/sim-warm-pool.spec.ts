import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { SimProvider, type ClusterProvider, type ClusterSpec } from '@netlab/infra';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimWarmPool, SIM_POOL_PREFIX, withToolbox } from './sim-warm-pool';
import { TOOLBOX } from './toolbox';

const spec = (name: string): ClusterSpec => ({ name, nodes: 2, cni: true, networkPolicy: true, labels: {} });

describe(createSimWarmPool.name, () => {
  let provider: SimProvider | undefined;
  afterEach(async () => {
    await provider?.manager.stopAll();
    provider = undefined;
  });

  it('should hand out a cluster whose toolbox pod already runs when the pool has filled', async () => {
    provider = new SimProvider();
    const sut = createSimWarmPool({ provider, pool: '2n-cni=1', concurrency: 1 })!;
    await sut.start();
    await sut.settled();

    const handle = sut.claim({ nodes: 2, cni: true });

    expect(handle?.name.startsWith(SIM_POOL_PREFIX)).toBe(true);
    const kc = new KubeConfig();
    kc.loadFromString(handle!.kubeconfig);
    const pod = await kc
      .makeApiClient(CoreV1Api)
      .readNamespacedPod({ namespace: TOOLBOX.namespace, name: TOOLBOX.pod });
    expect(pod.status?.phase).toBe('Running');
    await sut.stop({ drain: true });
  }, 60_000);

  it('should keep no pool when NETLAB_POOL is off', () => {
    expect(createSimWarmPool({ provider: new SimProvider(), pool: 'off', concurrency: 1 })).toBeUndefined();
  });

  it('should name the bad entry when NETLAB_POOL is not a list of profiles', () => {
    expect(() => createSimWarmPool({ provider: new SimProvider(), pool: 'big=3', concurrency: 1 })).toThrow(
      /NETLAB_POOL: "big=3": "big" is not a profile/,
    );
  });
});

describe(withToolbox.name, () => {
  it('should delete the cluster when its toolbox does not start', async () => {
    const deleted: string[] = [];
    const broken: ClusterProvider = {
      kind: 'sim',
      create: async (s) => ({
        name: s.name,
        provider: 'sim',
        // Nothing listens here: the toolbox cannot be created.
        kubeconfig: unreachableKubeconfig(),
        createdAt: new Date(),
        spec: s,
      }),
      delete: async (name) => void deleted.push(name),
      list: async () => [],
    };
    const sut = withToolbox(broken, 500);

    await expect(sut.create(spec('na-pool-x'))).rejects.toThrow();

    expect(deleted).toEqual(['na-pool-x']);
  });
});

function unreachableKubeconfig(): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: 'http://127.0.0.1:1' } }],
    users: [{ name: 'u', user: { token: 't' } }],
    contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
    'current-context': 'c',
  });
}
