import { beforeAll, describe, expect, it } from 'vitest';
import { findResource } from '../registry/resources';
import { ObjectStore } from '../store/object-store';
import { ObjectWriter, type WriteOptions } from './object-writer';
import { loadTypeModels } from './type-schemas';

const pods = findResource('', 'v1', 'pods')!;
const deployments = findResource('apps', 'v1', 'deployments')!;
const namespaces = findResource('', 'v1', 'namespaces')!;
const options = (): WriteOptions => ({ dryRun: false, fieldValidation: 'Strict', warnings: [] });

function aWriter(): { sut: ObjectWriter; store: ObjectStore } {
  const store = new ObjectStore();
  store.create('namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  return { sut: new ObjectWriter(store), store };
}

const deployment = (replicas: number) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      metadata: { labels: { app: 'web' } },
      spec: { containers: [{ name: 'web', image: 'nginx' }] },
    },
  },
});

describe(ObjectWriter.name, () => {
  beforeAll(() => loadTypeModels());

  it('should stamp a DaemonSet template generation that only a template change increments', () => {
    const { sut } = aWriter();
    const daemonsets = findResource('apps', 'v1', 'daemonsets')!;
    const ds = (labels: Record<string, string> = {}) => {
      const { replicas: _, ...spec } = deployment(1).spec;
      return { ...deployment(1), kind: 'DaemonSet', metadata: { name: 'agent', labels }, spec };
    };
    const generation = (o: { metadata: { annotations?: Record<string, string> } }) =>
      o.metadata.annotations?.['deprecated.daemonset.template.generation'];
    const created = sut.create(daemonsets, 'default', ds(), options());
    expect(generation(created)).toBe('1');
    const relabelled = sut.update(daemonsets, created, ds({ tier: 'node' }), undefined, options());
    expect(generation(relabelled)).toBe('1');
    const next = ds({ tier: 'node' });
    next.spec.template.spec.containers[0]!.image = 'nginx:1.27';
    const updated = sut.update(daemonsets, relabelled, next, undefined, options());
    expect(generation(updated)).toBe('2');
  });

  it('should bump generation on a spec change and keep the resourceVersion on a no-op update', () => {
    const { sut } = aWriter();
    const created = sut.create(deployments, 'default', deployment(1), options());
    const same = sut.update(deployments, created, deployment(1), undefined, options());
    expect(same.metadata.resourceVersion).toBe(created.metadata.resourceVersion);
    const scaled = sut.update(deployments, created, deployment(3), undefined, options());
    expect(scaled.metadata.generation).toBe(2);
    expect(scaled.metadata.resourceVersion).not.toBe(created.metadata.resourceVersion);
  });

  it('should keep status on a main-resource update and spec on a status update', () => {
    const { sut, store } = aWriter();
    const created = sut.create(deployments, 'default', deployment(1), options());
    const withStatus = sut.update(
      deployments,
      created,
      { ...created, status: { replicas: 1 } },
      'status',
      options(),
    );
    const updated = sut.update(
      deployments,
      withStatus,
      { ...deployment(2), status: { replicas: 99 } },
      undefined,
      options(),
    );
    expect(updated.status).toEqual({ replicas: 1 });
    expect(store.get('apps/deployments', 'default', 'web')?.spec).toMatchObject({ replicas: 2 });
  });

  it('should mark a scheduled pod for graceful deletion and delete an unscheduled one at once', () => {
    const { sut, store } = aWriter();
    const pod = (name: string, nodeName?: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name },
      spec: { ...(nodeName ? { nodeName } : {}), containers: [{ name: 'c', image: 'busybox' }] },
    });
    const scheduled = sut.create(pods, 'default', pod('a', 'node-1'), options());
    const marked = sut.delete(pods, scheduled, {}, new URLSearchParams(), options());
    expect(marked.metadata.deletionGracePeriodSeconds).toBe(30);
    expect(store.get('pods', 'default', 'a')?.metadata.deletionTimestamp).toBeDefined();
    const forced = sut.delete(pods, marked, { gracePeriodSeconds: 0 }, new URLSearchParams(), options());
    expect(forced.metadata.name).toBe('a');
    expect(store.get('pods', 'default', 'a')).toBeUndefined();
    const pending = sut.create(pods, 'default', pod('b'), options());
    sut.delete(pods, pending, {}, new URLSearchParams(), options());
    expect(store.get('pods', 'default', 'b')).toBeUndefined();
  });

  it('should record foreground and orphan propagation as finalizers for the garbage collector', () => {
    const { sut } = aWriter();
    const created = sut.create(deployments, 'default', deployment(1), options());
    const fg = sut.delete(
      deployments,
      created,
      { propagationPolicy: 'Foreground' },
      new URLSearchParams(),
      options(),
    );
    expect(fg.metadata.finalizers).toEqual(['foregroundDeletion']);
    expect(fg.metadata.deletionTimestamp).toBeDefined();
  });

  it('should finish a deletion when the last finalizer is removed', () => {
    const { sut, store } = aWriter();
    const created = sut.create(
      deployments,
      'default',
      { ...deployment(1), metadata: { name: 'web', finalizers: ['x'] } },
      options(),
    );
    const marked = sut.delete(deployments, created, {}, new URLSearchParams(), options());
    expect(store.get('apps/deployments', 'default', 'web')).toBeDefined();
    sut.update(
      deployments,
      marked,
      { ...structuredClone(marked), metadata: { ...structuredClone(marked.metadata), finalizers: [] } },
      undefined,
      options(),
    );
    expect(store.get('apps/deployments', 'default', 'web')).toBeUndefined();
  });

  it('should refuse to delete a system namespace and put others into Terminating', () => {
    const { sut, store } = aWriter();
    expect(() =>
      sut.delete(
        namespaces,
        store.mustGet('namespaces', undefined, 'default'),
        {},
        new URLSearchParams(),
        options(),
      ),
    ).toThrow('namespaces "default" is forbidden: this namespace may not be deleted');
    const team = sut.create(namespaces, undefined, { metadata: { name: 'team' } }, options());
    expect(team.metadata.labels).toEqual({ 'kubernetes.io/metadata.name': 'team' });
    const terminating = sut.delete(namespaces, team, {}, new URLSearchParams(), options());
    expect(terminating.status).toEqual({ phase: 'Terminating' });
  });

  it('should name the namespace when creating into one that does not exist', () => {
    const { sut } = aWriter();
    expect(() => sut.create(deployments, 'nowhere', deployment(1), options())).toThrow(
      'namespaces "nowhere" not found',
    );
  });
});
