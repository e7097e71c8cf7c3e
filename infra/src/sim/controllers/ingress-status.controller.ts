import type { V1Ingress, V1IngressLoadBalancerIngress, V1Pod } from '@kubernetes/client-node';
import { isPodReady } from '@netlab/grader/netmodel';
import { isIP } from 'node:net';
import { klogPrefix } from '../apps/ingress-nginx.app';
import {
  backendEndpoints,
  backendServicePort,
  servedIngresses,
  type IngressController,
} from '../dataplane/ingress-proxy';
import { as, put, sameJson, thaw, type SimContext } from '../runtime/context';
import type { Kubelet } from '../runtime/kubelet';
import type { StoreEvent } from '../store/object-store';
import type { Controller } from './controller';

const WATCHED = new Set([
  'networking.k8s.io/ingresses',
  'networking.k8s.io/ingressclasses',
  'pods',
  'services',
  'discovery.k8s.io/endpointslices',
]);
const SOURCE = { component: 'nginx-ingress-controller' };

/** The ready ingress-nginx controllers of the cluster (the first is the leader that writes status). */
export function ingressControllers(
  ctx: SimContext,
  kubelet: Kubelet,
): (IngressController & { pod: V1Pod })[] {
  const out: (IngressController & { pod: V1Pod })[] = [];
  for (const run of kubelet.runs.values()) {
    const stored = ctx.store.get('pods', run.namespace, run.name);
    if (!stored || stored.metadata.deletionTimestamp) continue;
    const pod = as<V1Pod>(stored);
    if (!isPodReady(pod)) continue;
    for (const c of run.containers.values()) {
      const config = c.state === 'running' ? c.app?.instance.ingressNginx : undefined;
      if (config) out.push({ container: c, config, pod });
    }
  }
  return out.sort((a, b) => String(a.pod.metadata?.name).localeCompare(String(b.pod.metadata?.name)));
}

/**
 * ingress-nginx's control side: for every Ingress a ready controller serves, a `Sync` event
 * ("Scheduled for sync") and its log lines when the Ingress changes (with the warnings for a
 * backend Service that is missing or has no active endpoint), and `status.loadBalancer.ingress`
 * as the leader publishes it: `--publish-status-address` (kind's manifest: `localhost`) or the
 * controller Pods' node IPs.
 */
export class IngressStatusController implements Controller {
  /** Ingress uid → generation and backend health last synced, so a change is logged once. */
  private readonly synced = new Map<string, string>();

  constructor(
    private readonly ctx: SimContext,
    private readonly kubelet: Kubelet,
  ) {}

  onEvent(e: StoreEvent): void {
    if (!WATCHED.has(e.resource)) return;
    if (e.resource === 'networking.k8s.io/ingresses' && e.type === 'DELETED')
      this.synced.delete(e.object.metadata.uid);
    this.resync();
  }

  resync(): void {
    this.ctx.queue.add('ingress-nginx:sync', () => this.reconcile());
  }

  /** Syncs every served Ingress's status, events and the controller's log. */
  reconcile(): void {
    const controllers = ingressControllers(this.ctx, this.kubelet);
    const leader = controllers[0];
    if (!leader) return;
    const now = this.ctx.clock.now();
    const status = this.publishedStatus(leader, controllers);
    for (const ing of servedIngresses(this.ctx, leader.config)) {
      const key = `${ing.metadata?.namespace}/${ing.metadata?.name}`;
      const warnings = this.backendWarnings(ing);
      const signature = `${ing.metadata?.generation ?? 0}|${warnings.join('|')}`;
      if (this.synced.get(ing.metadata!.uid!) !== signature) {
        const first = !this.synced.has(ing.metadata!.uid!);
        this.synced.set(ing.metadata!.uid!, signature);
        const stored = this.ctx.store.get(
          'networking.k8s.io/ingresses',
          ing.metadata!.namespace,
          ing.metadata!.name!,
        );
        if (stored) this.ctx.events.record(stored, 'Normal', 'Sync', 'Scheduled for sync', SOURCE);
        const i = klogPrefix('I', now);
        for (const c of controllers) {
          if (first)
            c.container.logs.append(
              now,
              `${i}store.go:440] "Found valid IngressClass" ingress="${key}" ingressclass="${ing.spec?.ingressClassName ?? '_'}"`,
            );
          c.container.logs.append(
            now,
            `${i}event.go:377] Event(v1.ObjectReference{Kind:"Ingress", Namespace:"${ing.metadata?.namespace}", Name:"${ing.metadata?.name}"}): type: 'Normal' reason: 'Sync' Scheduled for sync`,
          );
          for (const w of warnings) c.container.logs.append(now, `${klogPrefix('W', now)}${w}`);
          c.container.logs.append(
            now,
            `${i}controller.go:193] "Configuration changes detected, backend reload required"`,
          );
          c.container.logs.append(now, `${i}controller.go:213] "Backend successfully reloaded"`);
        }
      }
      if (!sameJson(ing.status?.loadBalancer?.ingress ?? null, status)) {
        const updated = thaw<V1Ingress>(ing);
        updated.status = { loadBalancer: { ingress: status } };
        put(this.ctx.store, 'networking.k8s.io/ingresses', updated);
        leader.container.logs.append(
          now,
          `${klogPrefix('I', now)}status.go:304] "updating Ingress status" namespace="${ing.metadata?.namespace}" ingress="${ing.metadata?.name}" currentValue=${JSON.stringify(ing.status?.loadBalancer?.ingress ?? null)} newValue=${JSON.stringify(status)}`,
        );
      }
    }
  }

  private publishedStatus(
    leader: IngressController,
    controllers: { pod: V1Pod }[],
  ): V1IngressLoadBalancerIngress[] {
    const address = leader.config.publishStatusAddress;
    if (address)
      return address
        .split(',')
        .map((a) => a.trim())
        .filter(Boolean)
        .map((a) => (isIP(a) ? { ip: a } : { hostname: a }));
    const ips = [...new Set(controllers.map((c) => c.pod.status?.hostIP ?? '').filter(Boolean))].sort();
    return ips.map((ip) => ({ ip }));
  }

  /** The controller's warnings for each backend Service of the Ingress that is missing or has no ready endpoint. */
  private backendWarnings(ing: V1Ingress): string[] {
    const namespace = ing.metadata?.namespace ?? 'default';
    const backends = [
      ...(ing.spec?.defaultBackend?.service ? [ing.spec.defaultBackend.service] : []),
      ...(ing.spec?.rules ?? []).flatMap((r) => (r.http?.paths ?? []).map((p) => p.backend.service)),
    ].filter((s) => s !== undefined);
    const out: string[] = [];
    const seen = new Set<string>();
    for (const svc of backends) {
      const port = svc.port?.number ?? svc.port?.name ?? '';
      const key = `${namespace}/${svc.name}`;
      if (seen.has(`${key}:${port}`)) continue;
      seen.add(`${key}:${port}`);
      if (!this.ctx.store.get('services', namespace, svc.name)) {
        out.push(
          `controller.go:1214] Error obtaining Endpoints for Service "${key}": no object matching key "${key}" in local store`,
        );
        continue;
      }
      const backend = { namespace, service: svc.name, port };
      if (backendServicePort(this.ctx, backend) && backendEndpoints(this.ctx, backend).length === 0)
        out.push(`controller.go:1239] Service "${key}" does not have any active Endpoint.`);
    }
    return out;
  }
}
