/**
 * What a namespaced and a label-selected list cost in a cluster at its object quota (5000 objects:
 * 50 namespaces × 100 ConfigMaps, one of them written between reads, as controllers do), through
 * the store's indexes versus the full scan and sort they replaced.
 * Run: `npx tsx infra/bench/store-list.bench.ts`.
 */
import { ObjectStore, type StoredObject } from '../src/sim/store/object-store';

const store = new ObjectStore({ objects: 10_000 });
for (let n = 0; n < 50; n++)
  for (let i = 0; i < 100; i++)
    store.create('configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: `cm-${i}`, namespace: `ns-${n}`, labels: { app: `a${i % 10}` } },
    });
const all: StoredObject[] = store.list('configmaps');

/** The old list: every object of the resource filtered and sorted on each call. */
function scan(namespace: string, app?: string): StoredObject[] {
  const key = (o: StoredObject) => `${o.metadata.namespace}/${o.metadata.name}`;
  return all
    .filter((o) => o.metadata.namespace === namespace && (!app || o.metadata.labels?.app === app))
    .sort((a, b) => key(a).localeCompare(key(b)));
}

function time(label: string, fn: (i: number) => unknown, runs = 2000): void {
  const start = performance.now();
  for (let i = 0; i < runs; i++) fn(i);
  console.log(
    `${label.padEnd(58)} ${(((performance.now() - start) * 1000) / runs).toFixed(1).padStart(7)} µs`,
  );
}

const touch = (i: number) => {
  const o = store.get('configmaps', 'ns-1', `cm-${i % 100}`)!;
  store.update('configmaps', { ...o, metadata: { ...o.metadata, resourceVersion: undefined } });
};
time('scan+sort: list one namespace (100 of 5000)', () => scan('ns-0'));
time('index: list one namespace (100 of 5000)', () => store.list('configmaps', 'ns-0'));
time(
  'index: same, after a write to another namespace (write incl.)',
  (i) => (touch(i), store.list('configmaps', 'ns-0')),
);
time('scan+sort: app=a3 in one namespace (10 of 5000)', () => scan('ns-0', 'a3'));
time('index: app=a3 in one namespace (10 of 5000)', () => store.list('configmaps', 'ns-0', { app: 'a3' }));
