import type { StoreEvent, StoredObject } from '../store/object-store';
import { put, type SimContext } from '../runtime/context';
import type { Controller } from './controller';
import { deletePodGracefully } from './pod-deletion';

/** Resources whose objects can own others (and be owned), scanned for dependents. */
const DEPENDENT_RESOURCES = [
  'pods',
  'apps/replicasets',
  'apps/controllerrevisions',
  'discovery.k8s.io/endpointslices',
  'batch/jobs',
  'configmaps',
  'secrets',
  'services',
  'apps/deployments',
  'apps/daemonsets',
];

const FOREGROUND = 'foregroundDeletion';
const ORPHAN = 'orphan';

/**
 * Deletes dependents by ownerReferences: in the background once the owner is gone, before the
 * owner for `foregroundDeletion`, or orphans them (drops the reference) for the `orphan` finalizer.
 */
export class GarbageCollector implements Controller {
  private readonly seen = new Set<string>(DEPENDENT_RESOURCES);

  constructor(private readonly ctx: SimContext) {}

  onEvent(e: StoreEvent): void {
    this.seen.add(e.resource);
    const o = e.object;
    if (e.type === 'DELETED') {
      this.ctx.queue.add(`gc:orphans:${o.metadata.uid}`, () =>
        this.collect(o.metadata.uid, o.metadata.namespace),
      );
      // A dependent is gone: an owner deleted in the foreground may now be removable.
      for (const ref of o.metadata.ownerReferences ?? []) {
        this.ctx.queue.add(`gc:owner:${ref.uid}`, () => this.recheckOwner(ref.uid));
      }
      return;
    }
    const finalizers = (o.metadata.finalizers as string[] | undefined) ?? [];
    if (o.metadata.deletionTimestamp && (finalizers.includes(FOREGROUND) || finalizers.includes(ORPHAN))) {
      this.ctx.queue.add(`gc:final:${e.resource}:${o.metadata.uid}`, () =>
        this.finalize(e.resource, o.metadata.namespace, o.metadata.name),
      );
    }
  }

  resync(): void {}

  private dependents(
    uid: string,
    namespace: string | undefined,
  ): { resource: string; object: StoredObject }[] {
    const out: { resource: string; object: StoredObject }[] = [];
    for (const resource of this.seen) {
      for (const object of this.ctx.store.list(resource, namespace)) {
        if (object.metadata.ownerReferences?.some((r) => r.uid === uid)) out.push({ resource, object });
      }
    }
    return out;
  }

  private ownerExists(uid: string): boolean {
    return this.ownerByUid(uid) !== undefined;
  }

  private ownerByUid(uid: string): { resource: string; object: StoredObject } | undefined {
    for (const resource of this.seen) {
      for (const object of this.ctx.store.list(resource))
        if (object.metadata.uid === uid) return { resource, object };
    }
    return undefined;
  }

  /** Background deletion: the owner is gone, so delete what it owned (unless another owner remains). */
  private collect(uid: string, namespace: string | undefined): void {
    if (this.ownerExists(uid)) return;
    for (const { resource, object } of this.dependents(uid, namespace)) {
      const refs = object.metadata.ownerReferences ?? [];
      const others = refs.filter((r) => r.uid !== uid && this.ownerExists(r.uid));
      if (others.length > 0) {
        put(this.ctx.store, resource, {
          ...object,
          metadata: { ...object.metadata, ownerReferences: refs.filter((r) => r.uid !== uid) },
        });
      } else this.deleteObject(resource, object);
    }
  }

  private finalize(resource: string, namespace: string | undefined, name: string): void {
    const owner = this.ctx.store.get(resource, namespace, name);
    if (!owner || !owner.metadata.deletionTimestamp) return;
    const finalizers = (owner.metadata.finalizers as string[] | undefined) ?? [];
    const deps = this.dependents(owner.metadata.uid, owner.metadata.namespace ?? undefined);
    if (finalizers.includes(ORPHAN)) {
      for (const { resource: r, object } of deps) {
        const refs = (object.metadata.ownerReferences ?? []).filter((x) => x.uid !== owner.metadata.uid);
        const metadata = { ...object.metadata, ownerReferences: refs };
        if (refs.length === 0) delete (metadata as Record<string, unknown>).ownerReferences;
        put(this.ctx.store, r, { ...object, metadata });
      }
      this.dropFinalizer(resource, owner, ORPHAN);
      return;
    }
    if (deps.length > 0) {
      for (const { resource: r, object } of deps) {
        if (!object.metadata.deletionTimestamp || r === 'pods') this.deleteObject(r, object, true);
      }
      return;
    }
    this.dropFinalizer(resource, owner, FOREGROUND);
  }

  private recheckOwner(uid: string): void {
    const owner = this.ownerByUid(uid);
    if (!owner?.object.metadata.deletionTimestamp) return;
    this.finalize(owner.resource, owner.object.metadata.namespace, owner.object.metadata.name);
  }

  private dropFinalizer(resource: string, owner: StoredObject, finalizer: string): void {
    const rest = ((owner.metadata.finalizers as string[] | undefined) ?? []).filter((f) => f !== finalizer);
    if (rest.length === 0) this.ctx.store.delete(resource, owner.metadata.namespace, owner.metadata.name);
    else put(this.ctx.store, resource, { ...owner, metadata: { ...owner.metadata, finalizers: rest } });
  }

  private deleteObject(resource: string, object: StoredObject, foreground = false): void {
    if (resource === 'pods') {
      deletePodGracefully(this.ctx, object);
      return;
    }
    if (!this.ctx.store.get(resource, object.metadata.namespace, object.metadata.name)) return;
    const hasDependents = this.dependents(object.metadata.uid, object.metadata.namespace).length > 0;
    if (foreground && hasDependents) {
      // Propagate foreground deletion down the chain (Deployment → ReplicaSet → Pods).
      if (object.metadata.deletionTimestamp) return;
      put(this.ctx.store, resource, {
        ...object,
        metadata: {
          ...object.metadata,
          deletionTimestamp: new Date(this.ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'),
          finalizers: [...((object.metadata.finalizers as string[] | undefined) ?? []), FOREGROUND],
        },
      });
      return;
    }
    this.ctx.store.delete(resource, object.metadata.namespace, object.metadata.name);
  }
}
