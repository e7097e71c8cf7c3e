import type { StoreEvent } from '../store/object-store';

/** A control loop of the sim: reacts to store events by queueing work (never by writing inline). */
export interface Controller {
  /** Called synchronously for every store change. */
  onEvent(event: StoreEvent): void;
  /** Queues a full reconcile of everything it owns (at start). */
  resync(): void;
}
