import type { SimContext } from '../runtime/context';
import type { EventSource } from '../runtime/event-recorder';
import type { StoredObject } from '../store/object-store';
import { StoreError, StoreErrorReason } from '../store/store-error';

/** The controller work queue's per-item back-off: 5 ms, doubling, up to 1000 s. */
const BASE_MS = 5;
const MAX_MS = 1_000_000;

/**
 * How kube-controller-manager's workload controllers meet a refused pod create (quota admission):
 * a `FailedCreate` Warning on the owner with the API server's message (the pod named by its
 * generateName, `web-5d4f-`), and the owner re-queued with exponential back-off, during which it
 * creates nothing, instead of an error on every retry.
 */
export class FailedCreateBackoff {
  private readonly items = new Map<string, { failures: number; until: number }>();

  constructor(
    private readonly ctx: SimContext,
    private readonly source: EventSource,
    private readonly requeue: (namespace: string, name: string) => void,
  ) {}

  /** Whether the owner is still backing off a refused create. */
  waiting(owner: StoredObject): boolean {
    const item = this.items.get(key(owner));
    return !!item && this.ctx.clock.now() < item.until;
  }

  /**
   * Creates the pod; on a quota refusal records FailedCreate, schedules the retry and returns false.
   * `describe` words the event from the API server's message (default: the ReplicaSet and DaemonSet
   * controllers' `Error creating: …`, naming the pod by its generateName).
   */
  createPod(
    owner: StoredObject,
    pod: { metadata: { name: string } },
    describe: (apiMessage: string) => string = (m) =>
      `Error creating: ${m.replace(`"${pod.metadata.name}"`, `"${owner.metadata.name}-"`)}`,
  ): boolean {
    try {
      this.ctx.store.create('pods', pod as never);
      return true;
    } catch (e) {
      if (!(e instanceof StoreError) || e.reason !== StoreErrorReason.FORBIDDEN) throw e;
      const { namespace, name } = owner.metadata;
      this.ctx.events.record(owner, 'Warning', 'FailedCreate', describe(e.message), this.source);
      const failures = (this.items.get(key(owner))?.failures ?? 0) + 1;
      const delay = Math.min(BASE_MS * 2 ** (failures - 1), MAX_MS);
      this.items.set(key(owner), { failures, until: this.ctx.clock.now() + delay });
      this.ctx.clock.setTimer(delay, () => this.requeue(namespace!, name));
      return false;
    }
  }

  /** The owner has all its pods: its next refusal starts the back-off afresh. */
  reset(owner: StoredObject): void {
    this.items.delete(key(owner));
  }
}

function key(owner: StoredObject): string {
  return `${owner.metadata.namespace ?? ''}/${owner.metadata.name}`;
}
