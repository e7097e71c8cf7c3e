import { describe, expect, it } from 'vitest';
import { ObjectStore } from './object-store';
import { StoreErrorReason } from './store-error';

const cm = (name: string, bytes = 10) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { k: 'x'.repeat(bytes) },
});

describe(`${ObjectStore.name} limits`, () => {
  it('should forget history past its byte bound so an old resourceVersion gets 410 when objects are big', () => {
    const sut = new ObjectStore({ historyBytes: 100_000 });
    const start = sut.resourceVersion;
    sut.create('configmaps', cm('a', 1000));
    for (let i = 0; i < 200; i++) sut.update('configmaps', cm('a', 1000 + i));
    expect(() => sut.watch(() => undefined, start)).toThrow(
      expect.objectContaining({ reason: StoreErrorReason.GONE }),
    );
    const kept: number[] = [];
    sut.watch((e) => kept.push(e.resourceVersion), sut.resourceVersion - 20);
    expect(kept).toHaveLength(20);
  });

  it('should refuse a pod past the pod quota with the API server wording, controllers included', () => {
    const sut = new ObjectStore({ pods: 2 });
    const pod = (name: string) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default' },
    });
    sut.create('pods', pod('a'));
    sut.create('pods', pod('b'));
    const rv = sut.resourceVersion;
    expect(() => sut.create('pods', pod('c'))).toThrow(
      expect.objectContaining({
        reason: StoreErrorReason.FORBIDDEN,
        message:
          'pods "c" is forbidden: exceeded quota: netlab-cluster-quota, requested: pods=1, used: pods=2, limited: pods=2',
      }),
    );
    expect(sut.resourceVersion).toBe(rv);
    sut.delete('pods', 'default', 'a');
    expect(sut.create('pods', pod('c')).metadata.name).toBe('c');
  });

  it('should refuse writes past the byte quota, and free the room on delete', () => {
    const sut = new ObjectStore({ bytes: 5000 });
    sut.create('configmaps', cm('a', 3000));
    expect(() => sut.create('configmaps', cm('b', 3000))).toThrow(
      /exceeded quota: netlab-cluster-quota, requested: object-bytes=/,
    );
    expect(() => sut.update('configmaps', cm('a', 6000))).toThrow(/forbidden: exceeded quota/);
    expect(sut.get('configmaps', 'default', 'b')).toBeUndefined();
    sut.delete('configmaps', 'default', 'a');
    expect(sut.usage()).toEqual({ objects: 0, pods: 0, bytes: 0 });
    sut.create('configmaps', cm('b', 3000));
  });

  it('should count every object but Events against the object quota', () => {
    const sut = new ObjectStore({ objects: 1 });
    sut.create('configmaps', cm('a'));
    for (let i = 0; i < 5; i++)
      sut.create('events', {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name: `e${i}`, namespace: 'default' },
      });
    expect(() => sut.create('configmaps', cm('b'))).toThrow(
      /count\/objects=1, used: count\/objects=1, limited: count\/objects=1/,
    );
  });
});
