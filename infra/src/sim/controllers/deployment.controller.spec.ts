import type { V1Deployment, V1ReplicaSet } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { as, put } from '../runtime/context';
import { aDeployment, aRuntime, podsOf, podStatusWord } from '../runtime/testing/runtime-harness';
import { DeploymentController } from './deployment.controller';

const nginx = (tag: string) => ({ image: `nginx:${tag}`, ports: [{ containerPort: 80 }] });

describe(DeploymentController.name, () => {
  it('should create a ReplicaSet with a pod-template-hash and run its pods when a Deployment is created', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/deployments', aDeployment('web', nginx('1.27'), 3));
    await sut.advance(2000);
    const rs = store.list('apps/replicasets', 'default').map((r) => as<V1ReplicaSet>(r));
    expect(rs).toHaveLength(1);
    const hash = rs[0]!.metadata!.labels!['pod-template-hash']!;
    expect(rs[0]!.metadata!.name).toBe(`web-${hash}`);
    expect(rs[0]!.metadata!.annotations!['deployment.kubernetes.io/revision']).toBe('1');
    const pods = podsOf(store, `web-${hash}-`);
    expect(pods.map(podStatusWord)).toEqual(['Running', 'Running', 'Running']);
    const d = as<V1Deployment>(store.get('apps/deployments', 'default', 'web')!);
    expect(d.status).toMatchObject({
      replicas: 3,
      readyReplicas: 3,
      availableReplicas: 3,
      updatedReplicas: 3,
    });
    expect(d.status?.conditions?.map((c) => `${c.type}=${c.status}/${c.reason}`)).toEqual([
      'Available=True/MinimumReplicasAvailable',
      'Progressing=True/NewReplicaSetAvailable',
    ]);
    // Spread over the workers: the control plane is tainted.
    expect(new Set(pods.map((p) => p.spec?.nodeName))).toEqual(new Set(['lab-worker', 'lab-worker2']));
  });

  it('should roll to a new ReplicaSet within maxSurge/maxUnavailable and keep the old one at 0 when the image changes', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/deployments', aDeployment('web', nginx('1.26'), 4));
    await sut.advance(2000);
    const d = store.get('apps/deployments', 'default', 'web')!;
    const spec = structuredClone(d.spec) as V1Deployment['spec'];
    spec!.template.spec!.containers[0]!.image = 'nginx:1.27';
    store.update(
      'apps/deployments',
      { ...d, metadata: { ...d.metadata, resourceVersion: undefined }, spec },
      { bumpGeneration: true },
    );
    await sut.settle();
    // First step: 25% surge (1 pod) up; maxUnavailable 1 allows one old pod down.
    const during = store.list('apps/replicasets', 'default').map((r) => as<V1ReplicaSet>(r));
    const total = during.reduce((n, r) => n + (r.spec?.replicas ?? 0), 0);
    expect(total).toBeLessThanOrEqual(5);
    await sut.advance(10_000);
    const after = store.list('apps/replicasets', 'default').map((r) => as<V1ReplicaSet>(r));
    const byRevision = Object.fromEntries(
      after.map((r) => [r.metadata!.annotations!['deployment.kubernetes.io/revision'], r.spec?.replicas]),
    );
    expect(byRevision).toEqual({ '1': 0, '2': 4 });
    const images = podsOf(store, 'web-')
      .filter((p) => !p.metadata?.deletionTimestamp)
      .map((p) => p.spec?.containers[0]?.image);
    expect(images).toEqual(['nginx:1.27', 'nginx:1.27', 'nginx:1.27', 'nginx:1.27']);
    const scaling = store
      .list('events', 'default')
      .filter((e) => e.reason === 'ScalingReplicaSet')
      .map((e) => String(e.message).replace(/web-\w+/, 'web-X'));
    expect(scaling[0]).toBe('Scaled up replica set web-X from 0 to 4');
    expect(scaling).toContain('Scaled down replica set web-X from 4 to 3');
  });

  it('should reuse the old ReplicaSet with the next revision when the template is rolled back', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/deployments', aDeployment('web', nginx('1.26'), 2));
    await sut.advance(2000);
    const setImage = (image: string) => {
      const d = store.get('apps/deployments', 'default', 'web')!;
      const spec = structuredClone(d.spec) as V1Deployment['spec'];
      spec!.template.spec!.containers[0]!.image = image;
      store.update(
        'apps/deployments',
        { ...d, metadata: { ...d.metadata, resourceVersion: undefined }, spec },
        { bumpGeneration: true },
      );
    };
    setImage('nginx:1.27');
    await sut.advance(10_000);
    setImage('nginx:1.26'); // what `kubectl rollout undo` patches in
    await sut.advance(10_000);
    const rs = store.list('apps/replicasets', 'default').map((r) => as<V1ReplicaSet>(r));
    expect(rs).toHaveLength(2);
    const first = rs.find((r) => r.spec?.template?.spec?.containers[0]?.image === 'nginx:1.26')!;
    expect(first.metadata?.annotations?.['deployment.kubernetes.io/revision']).toBe('3');
    expect(first.metadata?.annotations?.['deployment.kubernetes.io/revision-history']).toBe('1');
    expect(first.spec?.replicas).toBe(2);
    expect(
      store.get('apps/deployments', 'default', 'web')!.metadata.annotations?.[
        'deployment.kubernetes.io/revision'
      ],
    ).toBe('3');
  });

  it('should replace every pod when the template gets a restartedAt annotation (rollout restart)', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/deployments', aDeployment('web', nginx('1.27'), 2));
    await sut.advance(2000);
    const before = podsOf(store, 'web-').map((p) => p.metadata?.name);
    const d = store.get('apps/deployments', 'default', 'web')!;
    const spec = structuredClone(d.spec) as V1Deployment['spec'];
    spec!.template.metadata!.annotations = { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' };
    store.update(
      'apps/deployments',
      { ...d, metadata: { ...d.metadata, resourceVersion: undefined }, spec },
      { bumpGeneration: true },
    );
    await sut.advance(10_000);
    const after = podsOf(store, 'web-').map((p) => p.metadata?.name);
    expect(after).toHaveLength(2);
    expect(after.filter((n) => before.includes(n))).toEqual([]);
  });

  it('should scale pods up and down when spec.replicas changes', async () => {
    const { sut, store } = await aRuntime();
    store.create('apps/deployments', aDeployment('web', nginx('1.27'), 1));
    await sut.advance(2000);
    const d = store.get('apps/deployments', 'default', 'web')!;
    put(store, 'apps/deployments', { ...d, spec: { ...(d.spec as object), replicas: 5 } });
    await sut.advance(2000);
    expect(podsOf(store, 'web-').map(podStatusWord)).toEqual(Array(5).fill('Running'));
    const d2 = store.get('apps/deployments', 'default', 'web')!;
    put(store, 'apps/deployments', { ...d2, spec: { ...(d2.spec as object), replicas: 2 } });
    await sut.advance(2000);
    expect(podsOf(store, 'web-').map(podStatusWord)).toEqual(['Running', 'Running']);
  });

  it('should report ProgressDeadlineExceeded when the new pods never become available', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'apps/deployments',
      aDeployment('web', { image: 'busybox' }, 2, { progressDeadlineSeconds: 30 }),
    );
    await sut.advance(45_000);
    const d = as<V1Deployment>(store.get('apps/deployments', 'default', 'web')!);
    const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
    expect(progressing?.message).toMatch(/^ReplicaSet "web-\w+" has timed out progressing\.$/);
  });

  it('should delete every old pod before starting new ones with the Recreate strategy', async () => {
    const { sut, store } = await aRuntime();
    store.create(
      'apps/deployments',
      aDeployment('web', nginx('1.26'), 2, { strategy: { type: 'Recreate' } }),
    );
    await sut.advance(2000);
    const d = store.get('apps/deployments', 'default', 'web')!;
    const spec = structuredClone(d.spec) as V1Deployment['spec'];
    spec!.template.spec!.containers[0]!.image = 'nginx:1.27';
    store.update(
      'apps/deployments',
      { ...d, metadata: { ...d.metadata, resourceVersion: undefined }, spec },
      { bumpGeneration: true },
    );
    await sut.settle();
    const images = () =>
      podsOf(store, 'web-').map(
        (p) => `${p.spec?.containers[0]?.image}${p.metadata?.deletionTimestamp ? ' (terminating)' : ''}`,
      );
    expect(images()).toEqual(['nginx:1.26 (terminating)', 'nginx:1.26 (terminating)']);
    await sut.advance(5000);
    expect(images()).toEqual(['nginx:1.27', 'nginx:1.27']);
  });
});
