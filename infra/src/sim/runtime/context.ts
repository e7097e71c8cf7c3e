import type { CatalogImage } from '../apps/image-catalog';
import type { NewObject, ObjectStore, StoredObject } from '../store/object-store';
import type { Clock } from './clock';
import type { Random } from './names';
import type { WorkQueue } from './work-queue';
import type { EventRecorder } from './event-recorder';

/** The options of one cluster after defaulting. */
export interface ResolvedOptions {
  name: string;
  nodes: number;
  cni: boolean;
  cniPlugin: 'kindnet' | 'calico' | 'flannel' | 'cilium';
  networkPolicy: boolean;
  kubeconfig: string;
  /** e.g. `v1.30.0`. */
  version: string;
  /** The minor version as a number (30 for v1.30.0); event wording changed across minors. */
  minor: number;
  /** Images beyond the catalog that the registry has (a lab's own images). */
  images: string[];
  /** The catalog rows of the images a lab declares with their behaviour. */
  declaredImages?: CatalogImage[];
}

/** What every controller, the kubelets and the dataplane of one cluster share. */
export interface SimContext {
  store: ObjectStore;
  clock: Clock;
  queue: WorkQueue;
  random: Random;
  events: EventRecorder;
  options: ResolvedOptions;
}

/** A stored object seen as a client-node type (the store keeps plain frozen JSON). */
export function as<T>(object: StoredObject): T {
  return object as unknown as T;
}

/** A mutable deep copy of a stored object. */
export function thaw<T>(object: StoredObject | T): T {
  return structuredClone(object) as T;
}

/** Writes a whole object back unconditionally (the runtime is the only writer of status). */
export function put(store: ObjectStore, resource: string, object: unknown): StoredObject | undefined {
  const o = object as NewObject;
  if (!store.get(resource, o.metadata.namespace, o.metadata.name)) return undefined;
  const copy = { ...o, metadata: { ...o.metadata } };
  delete copy.metadata.resourceVersion;
  return store.update(resource, copy);
}

/** Creates unless it exists; returns the stored object either way. */
export function ensure(store: ObjectStore, resource: string, object: NewObject): StoredObject {
  return (
    store.get(resource, object.metadata.namespace, object.metadata.name) ?? store.create(resource, object)
  );
}

/** Deletes if present. */
export function remove(
  store: ObjectStore,
  resource: string,
  namespace: string | undefined,
  name: string,
): void {
  if (store.get(resource, namespace, name)) store.delete(resource, namespace, name);
}

/** Whether two JSON values are equal (status writes are skipped when nothing changed). */
export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
