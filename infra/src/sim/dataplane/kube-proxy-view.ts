import type { V1EndpointSlice, V1Pod, V1Service } from '@kubernetes/client-node';
import { as, type SimContext } from '../runtime/context';
import type { TimerHandle } from '../runtime/clock';
import type { StoreEvent } from '../store/object-store';

const PROXIED = new Set(['services', 'discovery.k8s.io/endpointslices']);

/** The Services and EndpointSlices one kube-proxy has programmed. */
export interface ProgrammedState {
  services: V1Service[];
  endpointSlices: V1EndpointSlice[];
}

/**
 * The Services and EndpointSlices as kube-proxy last programmed them. kube-proxy watches both and
 * rewrites its rules in one sync a short while after a change (coalescing everything that changed
 * meanwhile), so for that while connections still follow the old selector, targetPort or endpoints.
 * With `syncMs` 0 it follows the store at once.
 */
export class KubeProxyView {
  private programmed: ProgrammedState;
  private pending?: TimerHandle;
  /**
   * Nodes whose kube-proxy is gone, with the state it last programmed: a stopped kube-proxy leaves
   * its rules behind, so Services keep going to their old endpoints and new ones are not programmed.
   */
  private readonly frozen = new Map<string, ProgrammedState>();

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
    if (e.resource === 'pods' && e.object.metadata.labels?.['k8s-app'] === 'kube-proxy') {
      this.trackProxies();
      return false;
    }
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

  /** What the kube-proxy of `node` has programmed (frozen at its last sync if it is gone). */
  forNode(node: string): ProgrammedState {
    return this.frozen.get(node) ?? { services: this.services(), endpointSlices: this.endpointSlices() };
  }

  /** The state the gone kube-proxy of `node` left behind; undefined while one runs there. */
  frozenState(node: string): ProgrammedState | undefined {
    return this.frozen.get(node);
  }

  /** Whether some node's rules are frozen (its kube-proxy is gone). */
  get anyFrozen(): boolean {
    return this.frozen.size > 0;
  }

  /** Freezes the rules of nodes whose kube-proxy stopped; thaws those where one runs again. */
  private trackProxies(): void {
    const running = new Set<string>();
    for (const p of this.ctx.store.list('pods', 'kube-system').map((o) => as<V1Pod>(o))) {
      if (p.metadata?.labels?.['k8s-app'] !== 'kube-proxy' || p.metadata.deletionTimestamp) continue;
      if (p.status?.phase === 'Running' && p.spec?.nodeName) running.add(p.spec.nodeName);
    }
    for (const node of this.ctx.store.list('nodes')) {
      const name = node.metadata.name;
      if (running.has(name)) this.frozen.delete(name);
      else if (!this.frozen.has(name)) this.frozen.set(name, this.snapshot());
    }
    this.onSync();
  }

  private snapshot(): ProgrammedState {
    return { services: this.services(), endpointSlices: this.endpointSlices() };
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
