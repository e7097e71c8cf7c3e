import type { StoreEvent } from '../store/object-store';
import { put, type SimContext } from '../runtime/context';
import type { Controller } from './controller';
import { deletePodGracefully } from './pod-deletion';

/** Namespaced resources a namespace deletion empties (plus any other seen in the store). */
const NAMESPACED = [
  'pods',
  'services',
  'endpoints',
  'discovery.k8s.io/endpointslices',
  'apps/deployments',
  'apps/replicasets',
  'apps/daemonsets',
  'apps/statefulsets',
  'apps/controllerrevisions',
  'batch/jobs',
  'batch/cronjobs',
  'configmaps',
  'secrets',
  'serviceaccounts',
  'events',
  'networking.k8s.io/networkpolicies',
  'networking.k8s.io/ingresses',
  'rbac.authorization.k8s.io/roles',
  'rbac.authorization.k8s.io/rolebindings',
  'persistentvolumeclaims',
  'limitranges',
  'resourcequotas',
  'coordination.k8s.io/leases',
  'policy/poddisruptionbudgets',
  'events.k8s.io/events',
];

/** Empties a Terminating namespace (pods gracefully), then removes it. */
export class NamespaceController implements Controller {
  private readonly resources = new Set(NAMESPACED);

  constructor(private readonly ctx: SimContext) {}

  onEvent(e: StoreEvent): void {
    if (e.object.metadata.namespace) {
      this.resources.add(e.resource);
      if (e.type === 'DELETED') {
        const ns = this.ctx.store.get('namespaces', undefined, e.object.metadata.namespace);
        if (ns?.metadata.deletionTimestamp) this.enqueue(ns.metadata.name);
      }
    }
    if (e.resource === 'namespaces' && e.type !== 'DELETED' && e.object.metadata.deletionTimestamp)
      this.enqueue(e.object.metadata.name);
  }

  resync(): void {
    for (const ns of this.ctx.store.list('namespaces'))
      if (ns.metadata.deletionTimestamp) this.enqueue(ns.metadata.name);
  }

  private enqueue(name: string): void {
    this.ctx.queue.add(`ns:${name}`, () => this.reconcile(name));
  }

  private reconcile(name: string): void {
    const { store } = this.ctx;
    const ns = store.get('namespaces', undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;
    if ((ns.status as { phase?: string } | undefined)?.phase !== 'Terminating') {
      put(store, 'namespaces', { ...ns, status: { ...(ns.status as object), phase: 'Terminating' } });
    }
    let remaining = 0;
    for (const resource of this.resources) {
      for (const o of store.list(resource, name)) {
        remaining++;
        if (resource === 'pods') deletePodGracefully(this.ctx, o);
        else if (!(o.metadata.finalizers as string[] | undefined)?.length)
          store.delete(resource, name, o.metadata.name);
      }
    }
    if (remaining > 0) return;
    const latest = store.get('namespaces', undefined, name);
    if (latest) store.delete('namespaces', undefined, name);
  }
}
