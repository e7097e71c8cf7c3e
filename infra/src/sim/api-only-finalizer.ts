import { RESOURCES } from './registry/resources';
import type { ObjectStore } from './store/object-store';

/**
 * What the runtime's namespace controller and garbage collector do, for clusters that run the API
 * alone (no runtime): a Terminating namespace loses its contents and then itself; objects whose
 * owner is gone are deleted. Returns a stop function.
 */
export function startApiOnlyFinalizer(store: ObjectStore): () => void {
  let scheduled = false;
  const sweep = (): void => {
    scheduled = false;
    for (const ns of store.list('namespaces')) {
      if (!ns.metadata.deletionTimestamp) continue;
      for (const def of RESOURCES) {
        if (!def.namespaced || def.group === 'events.k8s.io') continue;
        for (const o of store.list(def.storeKey, ns.metadata.name))
          store.delete(def.storeKey, ns.metadata.name, o.metadata.name);
      }
      store.delete('namespaces', undefined, ns.metadata.name);
    }
    const uids = new Set<string>();
    for (const def of RESOURCES) for (const o of store.list(def.storeKey)) uids.add(o.metadata.uid);
    for (const def of RESOURCES) {
      if (def.group === 'events.k8s.io') continue;
      for (const o of store.list(def.storeKey)) {
        const owners = o.metadata.ownerReferences ?? [];
        if (owners.length && owners.every((r) => !uids.has(r.uid)))
          store.delete(def.storeKey, o.metadata.namespace, o.metadata.name);
      }
    }
  };
  return store.watch((e) => {
    if (scheduled) return;
    if (e.type === 'DELETED' || (e.resource === 'namespaces' && e.object.metadata.deletionTimestamp)) {
      scheduled = true;
      setImmediate(sweep);
    }
  });
}
