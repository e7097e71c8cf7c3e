import { describe, expect, it } from 'vitest';
import { ObjectStore, type StoreEvent } from './object-store';
import { StoreErrorReason } from './store-error';

const pod = (name: string, ns = 'default') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: ns },
  spec: {},
});

describe(ObjectStore.name, () => {
  it('should assign uid, resourceVersion and creationTimestamp on create', () => {
    const sut = new ObjectStore();
    const created = sut.create('pods', pod('a'));
    expect(created.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number(created.metadata.resourceVersion)).toBe(sut.resourceVersion);
    expect(created.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('should refuse a second object of the same name with AlreadyExists', () => {
    const sut = new ObjectStore();
    sut.create('pods', pod('a'));
    expect(() => sut.create('pods', pod('a'))).toThrow(
      expect.objectContaining({
        reason: StoreErrorReason.ALREADY_EXISTS,
        message: 'pods "a" already exists',
      }),
    );
  });

  it('should refuse an update from a stale resourceVersion with Conflict', () => {
    const sut = new ObjectStore();
    const v1 = sut.create('apps/deployments', { ...pod('web'), kind: 'Deployment' });
    sut.update('apps/deployments', v1);
    expect(() => sut.update('apps/deployments', v1)).toThrow(
      expect.objectContaining({ reason: StoreErrorReason.CONFLICT }),
    );
  });

  it('should name the resource with its group in NotFound', () => {
    const sut = new ObjectStore();
    expect(() => sut.mustGet('apps/deployments', 'default', 'x')).toThrow('deployments.apps "x" not found');
  });

  it('should freeze stored objects so callers cannot mutate the store', () => {
    const sut = new ObjectStore();
    const created = sut.create('pods', pod('a'));
    expect(() => {
      (created.metadata as { name: string }).name = 'b';
    }).toThrow(TypeError);
  });

  it('should deliver changes to watchers in order and replay history after a resourceVersion', () => {
    const sut = new ObjectStore();
    const a = sut.create('pods', pod('a'));
    const seen: StoreEvent[] = [];
    sut.watch((e) => seen.push(e), Number(a.metadata.resourceVersion));
    sut.update('pods', { ...a, metadata: { ...a.metadata, labels: { x: 'y' } } });
    sut.delete('pods', 'default', 'a');
    expect(seen.map((e) => `${e.type} ${e.object.metadata.name}`)).toEqual(['MODIFIED a', 'DELETED a']);

    const replayed: string[] = [];
    sut.watch((e) => replayed.push(e.type), 1);
    expect(replayed).toEqual(['ADDED', 'MODIFIED', 'DELETED']);
  });

  it('should list by namespace, sorted', () => {
    const sut = new ObjectStore();
    sut.create('pods', pod('b', 'x'));
    sut.create('pods', pod('a', 'x'));
    sut.create('pods', pod('c', 'y'));
    expect(sut.list('pods', 'x').map((p) => p.metadata.name)).toEqual(['a', 'b']);
    expect(sut.list('pods')).toHaveLength(3);
  });
});
