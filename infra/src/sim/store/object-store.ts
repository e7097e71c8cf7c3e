import { randomUUID } from 'node:crypto';
import { StoreError, StoreErrorReason } from './store-error';
import { ObjectIndex, objectKey } from './object-index';

/** Metadata every stored object has. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid: string;
  resourceVersion: string;
  creationTimestamp: string;
  generation?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }[];
  deletionTimestamp?: string;
  [key: string]: unknown;
}

/** A Kubernetes object as stored: deeply frozen, so nobody mutates the store by accident. */
export interface StoredObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** What a caller hands in: metadata without the fields the store assigns. */
export type NewObject = Omit<StoredObject, 'metadata'> & {
  metadata: Partial<ObjectMeta> & { name: string };
};

/** A change, as watch streams carry it. */
export interface StoreEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** Resource key, e.g. `pods` or `apps/deployments`. */
  resource: string;
  object: StoredObject;
  /** The store's resourceVersion after this event. */
  resourceVersion: number;
}

/** What one store may hold: its watch history and its objects (a ResourceQuota-like default). */
export interface StoreLimits {
  /** Events kept for watches that resume from a past resourceVersion; older ones get 410 Gone. */
  historyEvents: number;
  /** ... and at most this many bytes of them (JSON size of the objects they carry). */
  historyBytes: number;
  /** Objects of every kind but Events (which the runtime writes and the learner cannot). */
  objects: number;
  /** Pods, however they are made (by the learner or by a controller). */
  pods: number;
  /** JSON bytes of every stored object but Events. */
  bytes: number;
}

/** The quota of every sim cluster: room for any lab, far from what could hurt its neighbours. */
export const DEFAULT_STORE_LIMITS: StoreLimits = {
  historyEvents: 2000,
  historyBytes: 4 * 1024 * 1024,
  objects: 5000,
  pods: 100,
  bytes: 16 * 1024 * 1024,
};

/** The name the quota errors give, as a ResourceQuota's name appears in the API server's message. */
export const QUOTA_NAME = 'netlab-cluster-quota';

/** Resources outside the object and byte quota. */
const UNCOUNTED = new Set(['events']);

/**
 * The state of one emulated cluster: objects by resource, a global resourceVersion counter, and
 * watches. Resources are keyed like `pods` (core) or `apps/deployments`. Every write bumps the
 * resourceVersion and is delivered to watchers synchronously, in order.
 */
export class ObjectStore {
  private readonly objects = new Map<string, Map<string, StoredObject>>();
  private readonly index = new ObjectIndex();
  private readonly watchers = new Set<(event: StoreEvent) => void>();
  private readonly history: StoreEvent[] = [];
  /** Index of the oldest live entry of `history` (trimmed lazily, so a write costs O(1)). */
  private historyStart = 0;
  private historyBytes = 0;
  private readonly sizes = new WeakMap<StoredObject, number>();
  private counted = 0;
  private countedBytes = 0;
  private rv = 1;
  readonly limits: StoreLimits;

  constructor(limits: Partial<StoreLimits> = {}) {
    this.limits = { ...DEFAULT_STORE_LIMITS, ...limits };
  }

  /** What the quota counts now: objects (Events aside), pods and JSON bytes. */
  usage(): { objects: number; pods: number; bytes: number } {
    return { objects: this.counted, pods: this.bucket('pods').size, bytes: this.countedBytes };
  }

  /** The current resourceVersion of the whole store. */
  get resourceVersion(): number {
    return this.rv;
  }

  get(resource: string, namespace: string | undefined, name: string): StoredObject | undefined {
    return this.bucket(resource).get(key(namespace, name));
  }

  /** Like {@link get} but throws NotFound. */
  mustGet(resource: string, namespace: string | undefined, name: string): StoredObject {
    const o = this.get(resource, namespace, name);
    if (!o) throw notFound(resource, name);
    return o;
  }

  /**
   * Every object of a resource, optionally in one namespace and only those carrying every `labels`
   * pair, sorted by namespace then name. Served from indexes: the cost is what it returns, not the
   * size of the cluster. The caller owns the array.
   */
  list(resource: string, namespace?: string, labels?: Record<string, string>): StoredObject[] {
    return this.index.list(resource, namespace, labels);
  }

  /** Stores a new object, assigning uid, resourceVersion and creationTimestamp. */
  create(resource: string, object: NewObject): StoredObject {
    const bucket = this.bucket(resource);
    const k = key(object.metadata.namespace, object.metadata.name);
    if (bucket.has(k)) {
      throw new StoreError(
        StoreErrorReason.ALREADY_EXISTS,
        `${plural(resource)} "${object.metadata.name}" already exists`,
        {
          resource,
          name: object.metadata.name,
        },
      );
    }
    if (!UNCOUNTED.has(resource)) {
      this.admit(resource, object.metadata.name, 'count/objects', this.counted, 1, this.limits.objects);
      if (resource === 'pods')
        this.admit(resource, object.metadata.name, 'pods', bucket.size, 1, this.limits.pods);
    }
    const stored = this.stamp(object, {
      uid: randomUUID(),
      creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      generation: 1,
    });
    this.charge(resource, object.metadata.name, undefined, stored);
    bucket.set(k, stored);
    this.index.add(resource, stored);
    this.emit('ADDED', resource, stored);
    return stored;
  }

  /**
   * Replaces an object. When `object.metadata.resourceVersion` is set it must match the stored one
   * (optimistic concurrency, as the API server does); uid and creationTimestamp are kept.
   * `generation` is bumped when `bumpGeneration` is true (the caller decides whether spec changed).
   */
  update(resource: string, object: NewObject, options: { bumpGeneration?: boolean } = {}): StoredObject {
    const bucket = this.bucket(resource);
    const k = key(object.metadata.namespace, object.metadata.name);
    const current = bucket.get(k);
    if (!current) throw notFound(resource, object.metadata.name);
    const expected = object.metadata.resourceVersion;
    if (expected !== undefined && expected !== current.metadata.resourceVersion) {
      throw new StoreError(
        StoreErrorReason.CONFLICT,
        `Operation cannot be fulfilled on ${plural(resource)} "${object.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { resource, name: object.metadata.name },
      );
    }
    const stored = this.stamp(object, {
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      generation: (current.metadata.generation ?? 1) + (options.bumpGeneration ? 1 : 0),
    });
    this.charge(resource, object.metadata.name, current, stored);
    bucket.set(k, stored);
    this.index.remove(resource, current);
    this.index.add(resource, stored);
    this.emit('MODIFIED', resource, stored);
    return stored;
  }

  /** Removes an object now (finalizers and grace periods are the API layer's business). */
  delete(resource: string, namespace: string | undefined, name: string): StoredObject {
    const bucket = this.bucket(resource);
    const k = key(namespace, name);
    const current = bucket.get(k);
    if (!current) throw notFound(resource, name);
    bucket.delete(k);
    this.index.remove(resource, current);
    if (!UNCOUNTED.has(resource)) {
      this.counted--;
      this.countedBytes -= this.sizeOf(current);
    }
    this.rv++;
    const gone = deepFreeze({
      ...structuredClone(current),
      metadata: { ...structuredClone(current.metadata), resourceVersion: String(this.rv) },
    });
    this.record({ type: 'DELETED', resource, object: gone, resourceVersion: this.rv });
    return gone;
  }

  /**
   * Subscribes to every change. With `sinceResourceVersion`, first replays the changes after it;
   * throws Gone (410) when they are no longer in history. Returns an unsubscribe function.
   */
  watch(listener: (event: StoreEvent) => void, sinceResourceVersion?: number): () => void {
    if (sinceResourceVersion !== undefined && sinceResourceVersion < this.rv) {
      const oldest = this.history[this.historyStart]?.resourceVersion ?? this.rv + 1;
      if (sinceResourceVersion + 1 < oldest) {
        throw new StoreError(
          StoreErrorReason.GONE,
          `too old resource version: ${sinceResourceVersion} (${oldest - 1})`,
          {
            resource: '',
          },
        );
      }
      for (let i = this.historyStart; i < this.history.length; i++) {
        const e = this.history[i]!;
        if (e.resourceVersion > sinceResourceVersion) listener(e);
      }
    }
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  private stamp(
    object: NewObject,
    fixed: Pick<ObjectMeta, 'uid' | 'creationTimestamp' | 'generation'>,
  ): StoredObject {
    this.rv++;
    const copy = structuredClone(object) as StoredObject;
    copy.metadata = { ...copy.metadata, ...fixed, resourceVersion: String(this.rv) };
    if (copy.metadata.namespace === undefined) delete copy.metadata.namespace;
    return deepFreeze(copy);
  }

  private emit(type: StoreEvent['type'], resource: string, object: StoredObject): void {
    this.record({ type, resource, object, resourceVersion: this.rv });
  }

  private record(event: StoreEvent): void {
    this.history.push(event);
    this.historyBytes += this.sizeOf(event.object);
    while (
      this.history.length - this.historyStart > this.limits.historyEvents ||
      (this.historyBytes > this.limits.historyBytes && this.history.length - this.historyStart > 1)
    ) {
      this.historyBytes -= this.sizeOf(this.history[this.historyStart]!.object);
      this.history[this.historyStart++] = undefined as unknown as StoreEvent;
    }
    if (this.historyStart > 1024 && this.historyStart * 2 > this.history.length) {
      this.history.splice(0, this.historyStart);
      this.historyStart = 0;
    }
    for (const w of [...this.watchers]) w(event);
  }

  /** JSON size of a stored object, computed once (objects are frozen). */
  sizeOf(object: StoredObject): number {
    let size = this.sizes.get(object);
    if (size === undefined) {
      size = JSON.stringify(object).length;
      this.sizes.set(object, size);
    }
    return size;
  }

  /** Charges a write to the byte quota (refusing it past the limit) and counts the new object. */
  private charge(
    resource: string,
    name: string,
    before: StoredObject | undefined,
    after: StoredObject,
  ): void {
    if (UNCOUNTED.has(resource)) return;
    const delta = this.sizeOf(after) - (before ? this.sizeOf(before) : 0);
    if (delta > 0 && this.countedBytes + delta > this.limits.bytes) {
      this.rv--; // stamp() took a resourceVersion for a write that does not happen
      this.admit(resource, name, 'object-bytes', this.countedBytes, delta, this.limits.bytes);
    }
    this.countedBytes += delta;
    if (!before) this.counted++;
  }

  private admit(
    resource: string,
    name: string,
    what: string,
    used: number,
    requested: number,
    limit: number,
  ): void {
    if (used + requested <= limit) return;
    throw new StoreError(
      StoreErrorReason.FORBIDDEN,
      `${plural(resource)} "${name}" is forbidden: exceeded quota: ${QUOTA_NAME}, requested: ${what}=${requested}, used: ${what}=${used}, limited: ${what}=${limit}`,
      { resource, name },
    );
  }

  private bucket(resource: string): Map<string, StoredObject> {
    let b = this.objects.get(resource);
    if (!b) this.objects.set(resource, (b = new Map()));
    return b;
  }
}

const key = objectKey;

/** `apps/deployments` → `deployments.apps`, as Kubernetes names resources in messages. */
function plural(resource: string): string {
  const [group, name] = resource.includes('/') ? resource.split('/') : ['', resource];
  return group ? `${name}.${group}` : name!;
}

function notFound(resource: string, name: string): StoreError {
  return new StoreError(StoreErrorReason.NOT_FOUND, `${plural(resource)} "${name}" not found`, {
    resource,
    name,
  });
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
