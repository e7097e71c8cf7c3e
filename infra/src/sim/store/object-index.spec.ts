import { describe, expect, it } from 'vitest';
import { ObjectStore } from './object-store';
import { ObjectIndex } from './object-index';

function aPod(namespace: string, name: string, labels: Record<string, string> = {}) {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace, labels } };
}

const names = (items: { metadata: { namespace?: string; name: string } }[]) =>
  items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

describe(ObjectIndex.name, () => {
  it('should list one namespace sorted by name when others hold objects too', () => {
    const sut = new ObjectStore();
    sut.create('pods', aPod('b', 'z'));
    sut.create('pods', aPod('a', 'y'));
    sut.create('pods', aPod('a', 'x'));
    expect(names(sut.list('pods', 'a'))).toEqual(['a/x', 'a/y']);
    expect(names(sut.list('pods'))).toEqual(['a/x', 'a/y', 'b/z']);
    expect(sut.list('pods', 'none')).toEqual([]);
  });

  it('should list only objects carrying every label pair when labels are given', () => {
    const sut = new ObjectStore();
    sut.create('pods', aPod('a', 'web-1', { app: 'web', tier: 'front' }));
    sut.create('pods', aPod('a', 'web-2', { app: 'web' }));
    sut.create('pods', aPod('b', 'web-3', { app: 'web', tier: 'front' }));
    sut.create('pods', aPod('a', 'db', { app: 'db' }));
    expect(names(sut.list('pods', 'a', { app: 'web' }))).toEqual(['a/web-1', 'a/web-2']);
    expect(names(sut.list('pods', undefined, { app: 'web', tier: 'front' }))).toEqual(['a/web-1', 'b/web-3']);
    expect(sut.list('pods', 'a', { app: 'nothing' })).toEqual([]);
  });

  it('should follow updates and deletes when labels change or objects go', () => {
    const sut = new ObjectStore();
    const pod = sut.create('pods', aPod('a', 'p', { app: 'web' }));
    expect(names(sut.list('pods', 'a'))).toEqual(['a/p']);
    sut.update('pods', { ...pod, metadata: { ...pod.metadata, labels: { app: 'db' } } });
    expect(sut.list('pods', 'a', { app: 'web' })).toEqual([]);
    expect(sut.list('pods', 'a', { app: 'db' })[0]!.metadata.labels).toEqual({ app: 'db' });
    expect(sut.list('pods', 'a')[0]!.metadata.labels).toEqual({ app: 'db' });
    sut.delete('pods', 'a', 'p');
    expect(sut.list('pods', 'a')).toEqual([]);
    expect(sut.list('pods', 'a', { app: 'db' })).toEqual([]);
  });

  it('should give each caller its own array when a caller sorts or empties what it got', () => {
    const sut = new ObjectStore();
    sut.create('pods', aPod('a', 'x'));
    sut.create('pods', aPod('a', 'y'));
    sut.list('pods', 'a').reverse();
    sut.list('pods', 'a').length = 0;
    expect(names(sut.list('pods', 'a'))).toEqual(['a/x', 'a/y']);
  });

  it('should list one namespace of 100 objects when the cluster holds 20 000 and others keep changing', () => {
    const sut = new ObjectStore({ objects: 100_000, bytes: 1 << 30, pods: 100_000 });
    for (let n = 0; n < 200; n++) for (let i = 0; i < 100; i++) sut.create('pods', aPod(`ns${n}`, `p${i}`));
    // Touch every other namespace between reads: only the read namespace's own writes may cost a sort.
    for (let n = 1; n < 200; n++) sut.create('pods', aPod(`ns${n}`, 'extra'));
    const got = sut.list('pods', 'ns0', undefined);
    expect(got).toHaveLength(100);
    expect(got.every((p) => p.metadata.namespace === 'ns0')).toBe(true);
  });
});
