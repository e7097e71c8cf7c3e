import type { ObjectStore, StoredObject } from '../store/object-store';
import type { Clock } from './clock';
import { isoSeconds } from './names';

/** Who reports an event, as `kubectl describe` prints it under "From". */
export interface EventSource {
  component: string;
  host?: string;
}

/** Events kept per cluster; the oldest go first (a real cluster expires them after an hour). */
const MAX_EVENTS = 400;

/**
 * Writes core/v1 Events like the kubelet and controllers do, aggregating repeats (same object,
 * reason, message and source) into one event with a count, as the client-go recorder does.
 */
export class EventRecorder {
  private readonly recent = new Map<string, string>();
  private seq = 0;

  constructor(
    private readonly store: ObjectStore,
    private readonly clock: Clock,
  ) {}

  /** Records `reason`/`message` about `object`; `fieldPath` names a container (`spec.containers{web}`). */
  record(
    object: StoredObject,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    source: EventSource,
    fieldPath?: string,
  ): void {
    const meta = object.metadata;
    const namespace = meta.namespace ?? 'default';
    const now = isoSeconds(this.clock.now());
    const key = `${meta.uid}\u0000${fieldPath ?? ''}\u0000${reason}\u0000${message}\u0000${source.component}`;
    const existingName = this.recent.get(key);
    const existing = existingName ? this.store.get('events', namespace, existingName) : undefined;
    if (existing) {
      this.store.update('events', {
        ...existing,
        metadata: { ...existing.metadata, resourceVersion: undefined },
        count: ((existing.count as number | undefined) ?? 1) + 1,
        lastTimestamp: now,
      });
      return;
    }
    const name = `${meta.name}.${(BigInt(this.clock.now()) * 1_000_000n + BigInt(this.seq++)).toString(16)}`;
    this.store.create('events', {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace },
      involvedObject: {
        kind: object.kind,
        namespace: meta.namespace,
        name: meta.name,
        uid: meta.uid,
        apiVersion: object.apiVersion,
        resourceVersion: meta.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: { component: source.component, ...(source.host ? { host: source.host } : {}) },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: source.component,
      reportingInstance: source.host ?? '',
    });
    this.recent.set(key, name);
    if (this.recent.size > MAX_EVENTS) this.evictOldest();
  }

  private evictOldest(): void {
    const [key, name] = this.recent.entries().next().value as [string, string];
    this.recent.delete(key);
    const event = this.store.list('events').find((e) => e.metadata.name === name);
    if (event) this.store.delete('events', event.metadata.namespace, name);
  }
}
