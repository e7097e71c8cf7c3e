import type { StoredObject } from '../store/object-store';
import { rec, type Obj } from '../registry/printer-helpers';
import type { ResourceDefinition } from '../registry/resource-definition';

/** events.k8s.io/v1 Events share storage with core Events; serve them converted. */
export function asServed(def: ResourceDefinition, o: StoredObject): StoredObject {
  if (def.group !== 'events.k8s.io' || o.apiVersion === 'events.k8s.io/v1') return o;
  const e = o as unknown as Obj;
  const source = rec(e, 'source');
  return {
    apiVersion: 'events.k8s.io/v1',
    kind: 'Event',
    metadata: o.metadata,
    eventTime: e.eventTime ?? null,
    reportingController: e.reportingComponent ?? source.component ?? '',
    reportingInstance: e.reportingInstance ?? source.host ?? '',
    action: e.action ?? '',
    reason: e.reason,
    regarding: e.involvedObject,
    note: e.message,
    type: e.type,
    deprecatedSource: source,
    deprecatedFirstTimestamp: e.firstTimestamp,
    deprecatedLastTimestamp: e.lastTimestamp,
    deprecatedCount: e.count,
  } as unknown as StoredObject;
}

/** An events.k8s.io/v1 Event in the core shape it is stored in. */
export function toCoreEvent(e: Obj): Obj {
  const source = rec(e, 'deprecatedSource');
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: e.metadata,
    involvedObject: e.regarding ?? {},
    reason: e.reason,
    message: e.note,
    type: e.type,
    eventTime: e.eventTime,
    action: e.action,
    reportingComponent: e.reportingController ?? '',
    reportingInstance: e.reportingInstance ?? '',
    source: Object.keys(source).length ? source : { component: e.reportingController },
    ...(e.series ? { series: e.series } : {}),
    count: e.deprecatedCount,
    firstTimestamp: e.deprecatedFirstTimestamp,
    lastTimestamp: e.deprecatedLastTimestamp,
  };
}
