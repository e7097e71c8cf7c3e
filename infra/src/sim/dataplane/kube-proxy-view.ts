import type { V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { as, type SimContext } from '../runtime/context';
import type { TimerHandle } from '../runtime/clock';
import type { StoreEvent } from '../store/object-store';

const PROXIED = new Set(['services', 'discovery.k8s.io/endpointslices']);

/**
 * The Services and EndpointSlices as kube-proxy last programmed them. kube-proxy watches both and
 * rewrites its rules in one sync a short while after a change (coalescing everything that changed
 * meanwhile), so for that while connections still follow the old selector, targetPort or endpoints.
 * With `syncMs` 0 it follows the store at once.
 */
export class KubeProxyView {
  private programmed: { services: V1Service[]; endpointSlices: V1EndpointSlice[] };
  private pending?: TimerHandle;

  constructor(
    private readonly ctx: SimContext,
    private readonly syncMs: number,
    /** Called after each sync (the dataplane drops its model). */
    private readonly onSync: () => void,
  ) {
    this.programmed = this.read();
  }

  /** Whether the event is one kube-proxy reacts to; schedules (or, with no delay, does) a sync. */
  onEvent(e: StoreEvent): boolean {
    if (!PROXIED.has(e.resource)) return false;
    if (this.syncMs === 0) {
      this.sync();
      return true;
    }
    this.pending ??= this.ctx.clock.setTimer(this.syncMs, () => {
      this.pending = undefined;
      this.sync();
    });
    return true;
  }

  /** Whether a change is waiting for the next sync. */
  get syncPending(): boolean {
    return this.pending !== undefined;
  }

  /** The Services as programmed. */
  services(): V1Service[] {
    return this.syncMs === 0 ? this.read().services : this.programmed.services;
  }

  /** The EndpointSlices as programmed. */
  endpointSlices(): V1EndpointSlice[] {
    return this.syncMs === 0 ? this.read().endpointSlices : this.programmed.endpointSlices;
  }

  private sync(): void {
    if (this.syncMs !== 0) this.programmed = this.read();
    this.onSync();
  }

  private read() {
    const { store } = this.ctx;
    return {
      services: store.list('services').map((o) => as<V1Service>(o)),
      endpointSlices: store.list('discovery.k8s.io/endpointslices').map((o) => as<V1EndpointSlice>(o)),
    };
  }
}
