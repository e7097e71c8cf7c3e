import type { StoreEvent } from '../store/object-store';
import { ensure, type SimContext } from '../runtime/context';
import type { Controller } from './controller';

/** The serviceaccount and root-CA-publisher controllers: `default` SA and `kube-root-ca.crt` per namespace. */
export class ServiceAccountController implements Controller {
  constructor(
    private readonly ctx: SimContext,
    private readonly caCert: string,
  ) {}

  onEvent(e: StoreEvent): void {
    if (e.resource === 'namespaces' && e.type !== 'DELETED') this.enqueue(e.object.metadata.name);
    if ((e.resource === 'serviceaccounts' || e.resource === 'configmaps') && e.type === 'DELETED')
      this.enqueue(e.object.metadata.namespace!);
  }

  resync(): void {
    for (const ns of this.ctx.store.list('namespaces')) this.enqueue(ns.metadata.name);
  }

  private enqueue(ns: string): void {
    this.ctx.queue.add(`sa:${ns}`, () => this.reconcile(ns));
  }

  private reconcile(namespace: string): void {
    const { store } = this.ctx;
    const ns = store.get('namespaces', undefined, namespace);
    if (!ns || ns.metadata.deletionTimestamp) return;
    ensure(store, 'serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name: 'default', namespace },
    });
    ensure(store, 'configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: {
        name: 'kube-root-ca.crt',
        namespace,
        annotations: {
          'kubernetes.io/description':
            'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.',
        },
      },
      data: { 'ca.crt': this.caCert },
    });
  }
}
