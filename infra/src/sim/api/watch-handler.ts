import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore, StoreEvent, StoredObject } from '../store/object-store';
import { StoreError } from '../store/store-error';
import { groupVersion } from '../registry/resource-definition';
import { toStatus } from './api-error';
import { asServed } from './event-conversion';
import type { ResourceRequest } from './request-info';
import { selectorMatcher } from './selectors';
import { toTable, wantsTable } from './table';
import { DEFAULT_API_LIMITS, type ApiLimits } from './api-limits';

const BOOKMARK_INTERVAL_MS = 10_000;

/**
 * `?watch=true`: one JSON event per line over a chunked response, headers flushed at once. From
 * resourceVersion 0 (or none) the current objects come first as synthetic ADDED events; from an older
 * one the store's history is replayed, or an ERROR 410 Expired event ends the stream.
 */
export function serveWatch(
  store: ObjectStore,
  req: IncomingMessage,
  res: ServerResponse,
  r: ResourceRequest,
  query: URLSearchParams,
  limits: Pick<ApiLimits, 'streamBufferBytes'> = DEFAULT_API_LIMITS,
): void {
  const { def } = r;
  const fieldSelector = [query.get('fieldSelector'), r.name ? `metadata.name=${r.name}` : null]
    .filter(Boolean)
    .join(',');
  const match = selectorMatcher(query.get('labelSelector'), fieldSelector || null);
  const table = wantsTable(req.headers.accept);
  const include = query.get('includeObject') ?? 'Metadata';
  const inScope = (o: StoredObject): boolean =>
    r.namespace === undefined || o.metadata.namespace === r.namespace;
  let columnsSent = false;

  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();

  const encode = (type: string, object: StoredObject): string => {
    if (type === 'BOOKMARK' || type === 'ERROR') return JSON.stringify({ type, object });
    if (!table) return JSON.stringify({ type, object: asServed(def, object) });
    const t = toTable(
      def,
      [object],
      { resourceVersion: object.metadata.resourceVersion },
      include as 'Metadata',
      !columnsSent,
    );
    columnsSent = true;
    return JSON.stringify({ type, object: t });
  };
  let dropped = false;
  const send = (type: string, object: StoredObject): void => {
    if (dropped) return;
    // A client that falls this far behind is closed, as the API server's cacher closes a watcher
    // whose buffer is full; the client relists and watches again. Nothing more is queued for it.
    if (res.writableLength > limits.streamBufferBytes) {
      dropped = true;
      finish();
      return;
    }
    res.write(encode(type, object) + '\n');
  };

  const visible = new Set<string>();
  const key = (o: StoredObject): string => `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  const rvParam = query.get('resourceVersion');
  const fromNow = !rvParam || rvParam === '0';
  const current = store.list(def.storeKey, r.namespace).filter(match);
  for (const o of current) visible.add(key(o));
  const initialEvents = query.get('sendInitialEvents') === 'true';
  if (fromNow || initialEvents) for (const o of current) send('ADDED', o);
  if (initialEvents) {
    // WatchList (sendInitialEvents): a bookmark marks the end of the initial state.
    send('BOOKMARK', {
      kind: def.kind,
      apiVersion: groupVersion(def),
      metadata: {
        resourceVersion: String(store.resourceVersion),
        annotations: { 'k8s.io/initial-events-end': 'true' },
      },
    } as unknown as StoredObject);
  }

  const onEvent = (e: StoreEvent): void => {
    if (e.resource !== def.storeKey || !inScope(e.object)) return;
    const k = key(e.object);
    const matches = e.type !== 'DELETED' && match(e.object);
    const was = visible.has(k);
    const object = e.object;
    if (e.type === 'DELETED') {
      if (match(e.object) || was) send('DELETED', object);
      visible.delete(k);
    } else if (matches) {
      send(e.type === 'MODIFIED' && was ? 'MODIFIED' : 'ADDED', object);
      visible.add(k);
    } else if (was) {
      send('DELETED', object);
      visible.delete(k);
    }
  };

  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => undefined;
  try {
    unsubscribe = store.watch(onEvent, fromNow || initialEvents ? undefined : Number(rvParam));
  } catch (e) {
    if (e instanceof StoreError) {
      res.end(JSON.stringify({ type: 'ERROR', object: toStatus(e) }) + '\n');
      return;
    }
    throw e;
  }

  const finish = (): void => {
    unsubscribe();
    for (const t of timers) clearTimeout(t);
    if (!res.writableEnded) res.end();
    // What is still queued for a client that stopped reading is freed after a grace period.
    if (dropped) setTimeout(() => res.destroy(), 30_000).unref();
  };
  if (query.get('allowWatchBookmarks') === 'true') {
    const bookmark = (): void => {
      send('BOOKMARK', {
        kind: def.kind,
        apiVersion: groupVersion(def),
        metadata: { resourceVersion: String(store.resourceVersion) },
      } as StoredObject);
    };
    timers.push(setInterval(bookmark, BOOKMARK_INTERVAL_MS));
  }
  const timeout = Number(query.get('timeoutSeconds') ?? 0);
  if (timeout > 0) timers.push(setTimeout(finish, timeout * 1000));
  req.on('close', finish);
  res.on('close', finish);
}
