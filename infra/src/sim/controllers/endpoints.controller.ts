import type {
  V1EndpointSlice,
  V1Endpoints,
  V1EndpointSubset,
  V1Node,
  V1Pod,
  V1Service,
} from '@kubernetes/client-node';
import {
  computeEndpoints,
  computeEndpointSlices,
  MANAGED_BY_LABEL,
  ENDPOINTSLICE_CONTROLLER,
  SERVICE_NAME_LABEL,
} from '@netlab/grader/netmodel';
import type { NewObject, StoreEvent } from '../store/object-store';
import { as, put, sameJson, type SimContext } from '../runtime/context';
import { Random } from '../runtime/names';
import type { Controller } from './controller';
import { orderLikeController } from './endpoint-order';

const SLICES = 'discovery.k8s.io/endpointslices';
const SKIP_MIRROR = 'endpointslice.kubernetes.io/skip-mirror';
const MIRRORING_CONTROLLER = 'endpointslicemirroring-controller.k8s.io';
/** When the latest Pod or Service change that this Endpoints/EndpointSlice content reflects happened. */
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

/**
 * The trigger time the endpoints controllers write (their TriggerTimeTracker): the latest of the
 * Service's creation and, for each Pod the selector picks, its Ready condition's last transition
 * (its creation when it has none), as RFC 3339 in seconds.
 */
export function lastChangeTriggerTime(svc: V1Service, pods: V1Pod[]): string | undefined {
  const selector = Object.entries(svc.spec?.selector ?? {});
  const times = [svc.metadata?.creationTimestamp];
  for (const pod of pods) {
    if (!selector.every(([k, v]) => pod.metadata?.labels?.[k] === v)) continue;
    const ready = pod.status?.conditions?.find((c) => c.type === 'Ready')?.lastTransitionTime;
    times.push(ready ?? pod.metadata?.creationTimestamp);
  }
  const latest = Math.max(
    ...times.map((t) => (t ? new Date(t).getTime() : Number.NaN)).filter((t) => !Number.isNaN(t)),
  );
  return Number.isFinite(latest) ? new Date(latest).toISOString().replace(/\.\d{3}Z$/, 'Z') : undefined;
}

/** The EndpointSlice and Endpoints controllers, computed by the networking model for each Service. */
export class EndpointsController implements Controller {
  constructor(private readonly ctx: SimContext) {}

  onEvent(e: StoreEvent): void {
    if (e.resource === 'services' || e.resource === 'pods') this.enqueue(e.object.metadata.namespace!);
    else if (e.resource === 'endpoints' && !e.object.metadata.labels?.[SKIP_MIRROR])
      this.enqueue(e.object.metadata.namespace!);
    else if (e.resource === 'nodes' && e.type !== 'MODIFIED') this.resync();
  }

  resync(): void {
    const namespaces = new Set(this.ctx.store.list('services').map((s) => s.metadata.namespace!));
    for (const ns of namespaces) this.enqueue(ns);
  }

  private enqueue(namespace: string): void {
    this.ctx.queue.add(`ep:${namespace}`, () => this.reconcile(namespace));
  }

  /** Rewrites the slices and Endpoints of every Service of a namespace that changed. */
  reconcile(namespace: string): void {
    const { store } = this.ctx;
    const services = store.list('services', namespace).map((s) => as<V1Service>(s));
    const pods = store.list('pods', namespace).map((p) => as<V1Pod>(p));
    const nodes = store.list('nodes').map((n) => as<V1Node>(n));
    const names = new Set(services.map((s) => s.metadata!.name!));

    for (const svc of services) {
      const name = svc.metadata!.name!;
      if (!svc.spec?.selector || Object.keys(svc.spec.selector).length === 0) {
        this.mirror(svc);
        continue;
      }
      const wanted = computeEndpointSlices(svc, pods, nodes);
      const existing = store
        .list(SLICES, namespace)
        .filter(
          (s) =>
            s.metadata.labels?.[SERVICE_NAME_LABEL] === name &&
            s.metadata.labels?.[MANAGED_BY_LABEL] === ENDPOINTSLICE_CONTROLLER,
        );
      // Endpoints keep the place they have in the Service's slices; new ones go after them in the
      // random order of the real reconciler (drawn from the Service's uid so other draws are untouched).
      const previous = existing.flatMap((s) => as<V1EndpointSlice>(s).endpoints ?? []);
      const draw = new Random(`${svc.metadata?.uid ?? name}/${previous.length}`);
      for (const w of wanted)
        w.endpoints = orderLikeController(w.endpoints ?? [], previous, () => draw.next());
      const keep = new Set(wanted.map((w) => w.metadata!.name!));
      for (const s of existing)
        if (!keep.has(s.metadata.name)) store.delete(SLICES, namespace, s.metadata.name);
      const trigger = lastChangeTriggerTime(svc, pods);
      for (const w of wanted)
        this.write(SLICES, w as unknown as NewObject, ['endpoints', 'ports', 'addressType'], trigger);
      const ep = computeEndpoints(svc, pods);
      if (ep) this.write('endpoints', ep as unknown as NewObject, ['subsets'], trigger);
    }
    // Endpoints of deleted Services (slices go with their owner through the garbage collector).
    for (const ep of store.list('endpoints', namespace)) {
      if (!names.has(ep.metadata.name) && ep.metadata.name !== 'kubernetes')
        store.delete('endpoints', namespace, ep.metadata.name);
    }
  }

  /**
   * The EndpointSlice mirroring controller: a Service without a selector whose Endpoints were written
   * by hand gets an EndpointSlice copying them, so traffic to it works as on a real cluster.
   */
  private mirror(svc: V1Service): void {
    const { store } = this.ctx;
    const namespace = svc.metadata!.namespace!;
    const name = svc.metadata!.name!;
    const ep = store.get('endpoints', namespace, name);
    const sliceName = `${name}-mirror`;
    const mirrored = store
      .list(SLICES, namespace)
      .filter(
        (s) =>
          s.metadata.labels?.[SERVICE_NAME_LABEL] === name &&
          s.metadata.labels?.[MANAGED_BY_LABEL] === MIRRORING_CONTROLLER,
      );
    if (!ep || ep.metadata.labels?.[SKIP_MIRROR]) {
      for (const s of mirrored) store.delete(SLICES, namespace, s.metadata.name);
      return;
    }
    const subsets = (as<V1Endpoints>(ep).subsets ?? []) as V1EndpointSubset[];
    const first = subsets[0];
    const endpoints = subsets.flatMap((ss) => [
      ...(ss.addresses ?? []).map((a) => ({
        addresses: [a.ip],
        conditions: { ready: true },
        ...(a.nodeName ? { nodeName: a.nodeName } : {}),
      })),
      ...(ss.notReadyAddresses ?? []).map((a) => ({ addresses: [a.ip], conditions: { ready: false } })),
    ]);
    const ports = (first?.ports ?? []).map((p) => ({
      name: p.name ?? '',
      port: p.port,
      protocol: p.protocol ?? 'TCP',
    }));
    this.write(
      SLICES,
      {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: {
          name: sliceName,
          namespace,
          labels: {
            ...(svc.metadata?.labels ?? {}),
            [SERVICE_NAME_LABEL]: name,
            [MANAGED_BY_LABEL]: MIRRORING_CONTROLLER,
          },
          ownerReferences: [
            { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata?.uid ?? '', controller: true },
          ],
        },
        addressType: 'IPv4',
        endpoints,
        ports,
      },
      ['endpoints', 'ports', 'addressType'],
    );
  }

  /** Creates or updates the object when its content changed, stamping the trigger time if given. */
  private write(resource: string, object: NewObject, fields: string[], trigger?: string): void {
    const { store } = this.ctx;
    const current = store.get(resource, object.metadata.namespace, object.metadata.name);
    const annotations = (base: Record<string, string> | undefined) =>
      trigger ? { annotations: { ...(base ?? {}), [TRIGGER_TIME_ANNOTATION]: trigger } } : {};
    if (!current) {
      store.create(resource, {
        ...object,
        metadata: { ...object.metadata, ...annotations(object.metadata.annotations) },
      });
      return;
    }
    const changed =
      fields.some((f) => !sameJson(current[f] ?? null, object[f] ?? null)) ||
      !sameJson(current.metadata.labels ?? {}, object.metadata.labels ?? {});
    if (!changed) return;
    const next: Record<string, unknown> = {
      ...current,
      metadata: {
        ...current.metadata,
        labels: object.metadata.labels,
        ...annotations(current.metadata.annotations),
      },
    };
    for (const f of fields) {
      if (object[f] === undefined) delete next[f];
      else next[f] = object[f];
    }
    put(store, resource, next);
  }
}
