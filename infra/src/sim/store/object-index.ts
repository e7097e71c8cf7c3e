import type { StoredObject } from './object-store';

/** `namespace/name` (or `name` for cluster-scoped objects), the store's key and sort order. */
export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

const ALL = '\u0000*';

/**
 * Secondary indexes of one store, so a list costs what it returns rather than what the cluster
 * holds: objects by resource and namespace, by resource and `label=value`, and each resource's (and
 * namespace's) sorted list kept until the next write to it.
 */
export class ObjectIndex {
  private readonly byNamespace = new Map<string, Map<string, Map<string, StoredObject>>>();
  private readonly byLabel = new Map<string, Map<string, Set<StoredObject>>>();
  private readonly sorted = new Map<string, StoredObject[]>();

  /** Indexes a stored object (after `remove` of its previous version, on update). */
  add(resource: string, object: StoredObject): void {
    const ns = object.metadata.namespace ?? '';
    let spaces = this.byNamespace.get(resource);
    if (!spaces) this.byNamespace.set(resource, (spaces = new Map()));
    let names = spaces.get(ns);
    if (!names) spaces.set(ns, (names = new Map()));
    names.set(object.metadata.name, object);
    for (const pair of labelPairs(object)) {
      let labels = this.byLabel.get(resource);
      if (!labels) this.byLabel.set(resource, (labels = new Map()));
      let set = labels.get(pair);
      if (!set) labels.set(pair, (set = new Set()));
      set.add(object);
    }
    this.invalidate(resource, ns);
  }

  /** Drops an object's entries. */
  remove(resource: string, object: StoredObject): void {
    const ns = object.metadata.namespace ?? '';
    const names = this.byNamespace.get(resource)?.get(ns);
    names?.delete(object.metadata.name);
    if (names?.size === 0) this.byNamespace.get(resource)!.delete(ns);
    const labels = this.byLabel.get(resource);
    for (const pair of labelPairs(object)) {
      const set = labels?.get(pair);
      set?.delete(object);
      if (set?.size === 0) labels!.delete(pair);
    }
    this.invalidate(resource, ns);
  }

  /**
   * A resource's objects, optionally in one namespace and carrying every `labels` pair, sorted by
   * namespace then name. The caller owns the returned array.
   */
  list(resource: string, namespace?: string, labels?: Record<string, string>): StoredObject[] {
    const pairs = Object.entries(labels ?? {}).map(([k, v]) => `${k}=${v}`);
    if (pairs.length > 0) {
      const index = this.byLabel.get(resource);
      const sets = pairs.map((p) => index?.get(p));
      if (sets.some((s) => !s)) return [];
      const smallest = (sets as Set<StoredObject>[]).reduce((a, b) => (b.size < a.size ? b : a));
      const out = [...smallest].filter(
        (o) =>
          (namespace === undefined || (o.metadata.namespace ?? '') === namespace) &&
          Object.entries(labels!).every(([k, v]) => o.metadata.labels?.[k] === v),
      );
      return out.sort(byKey);
    }
    const cacheKey = `${resource}\u0000${namespace ?? ALL}`;
    let cached = this.sorted.get(cacheKey);
    if (!cached) {
      const spaces = this.byNamespace.get(resource);
      const items =
        namespace === undefined
          ? [...(spaces?.values() ?? [])].flatMap((m) => [...m.values()])
          : [...(spaces?.get(namespace)?.values() ?? [])];
      cached = items.sort(byKey);
      this.sorted.set(cacheKey, cached);
    }
    return cached.slice();
  }

  private invalidate(resource: string, namespace: string): void {
    this.sorted.delete(`${resource}\u0000${namespace}`);
    this.sorted.delete(`${resource}\u0000${ALL}`);
  }
}

function labelPairs(object: StoredObject): string[] {
  return Object.entries(object.metadata.labels ?? {}).map(([k, v]) => `${k}=${String(v)}`);
}

function byKey(a: StoredObject, b: StoredObject): number {
  return objectKey(a.metadata.namespace, a.metadata.name).localeCompare(
    objectKey(b.metadata.namespace, b.metadata.name),
  );
}
