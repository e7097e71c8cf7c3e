import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startRuntimeWorld, type KubectlWorld } from './kubectl-harness';

describe('a Deployment scaled past the pod quota, seen through kubectl', { timeout: 120_000 }, () => {
  let sut: KubectlWorld;
  const k = (...args: string[]) => sut.kubectl(args, { timeoutMs: 60_000 });

  beforeAll(async () => {
    sut = await startRuntimeWorld({ nodes: 3 });
    const settled = await k(
      'wait',
      '--for=condition=Ready',
      'pods',
      '--all',
      '-n',
      'kube-system',
      '--timeout=60s',
    );
    expect(settled.code).toBe(0);
    // Room for two more pods in the cluster, whatever kube-system runs.
    const { store } = sut.cluster;
    (store.limits as { pods: number }).pods = store.usage().pods + 2;
  }, 60_000);
  afterAll(() => sut?.stop());

  it('should show FailedCreate with the quota message on the ReplicaSet when its pods exceed the quota', async () => {
    expect((await k('create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=4')).code).toBe(0);
    const limit = (sut.cluster.store.limits as { pods: number }).pods;
    let described = '';
    await eventually(
      async () => {
        described = (await k('describe', 'rs', '-l', 'app=web')).stdout;
        return described.includes('FailedCreate');
      },
      'a FailedCreate event',
      30_000,
    );
    expect(described).toMatch(
      new RegExp(
        `Warning\\s+FailedCreate\\s+.*replicaset-controller\\s+Error creating: pods "web-[a-z0-9]+-" is forbidden: exceeded quota: netlab-cluster-quota, requested: pods=1, used: pods=${limit}, limited: pods=${limit}`,
      ),
    );
    await eventually(
      async () => (await k('get', 'deploy', 'web', '-o', 'jsonpath={.status.replicas}')).stdout === '2',
      'the Deployment to report its two pods',
      30_000,
    );
  });
});
