import { isDeepStrictEqual } from 'node:util';
import { listStrategy } from './merge-keys';
import { strategicMerge } from './strategic-merge';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/** A FieldsV1 set (`{"f:spec":{"f:replicas":{}}}`), as managedFields record ownership. */
export type FieldSet = Obj;

/** The fields an applied configuration sets, in FieldsV1 form. */
export function fieldSetOf(kind: string, value: Obj, path: string[] = []): FieldSet {
  const out: FieldSet = {};
  for (const [k, v] of Object.entries(value)) {
    if (path.length === 0 && (k === 'apiVersion' || k === 'kind')) continue;
    if (path.length === 1 && path[0] === 'metadata' && (k === 'name' || k === 'namespace')) continue;
    const childPath = [...path, k];
    if (isObj(v)) {
      const sub = fieldSetOf(kind, v, childPath);
      // `metadata: {name: x}` owns nothing once name/namespace are left out.
      if (Object.keys(sub).length || Object.keys(v).length === 0) out[`f:${k}`] = sub;
    } else if (Array.isArray(v)) {
      const strategy = listStrategy(kind, childPath);
      if (strategy.kind === 'merge' && v.every(isObj)) {
        const items: Obj = {};
        for (const item of v as Obj[]) {
          items[`k:${JSON.stringify({ [strategy.key]: item[strategy.key] })}`] = {
            '.': {},
            ...fieldSetOf(kind, item, childPath),
          };
        }
        out[`f:${k}`] = items;
      } else if (strategy.kind === 'primitive-merge') {
        const items: Obj = {};
        for (const item of v) items[`v:${JSON.stringify(item)}`] = {};
        out[`f:${k}`] = items;
      } else out[`f:${k}`] = {};
    } else out[`f:${k}`] = {};
  }
  return out;
}

/** Removes from `live` every field that `before` owned and `after` no longer does. */
function prune(live: Obj, before: FieldSet, after: FieldSet): void {
  for (const [key, sub] of Object.entries(before)) {
    if (key === '.') continue;
    const kept = after[key] as FieldSet | undefined;
    if (key.startsWith('f:')) {
      const field = key.slice(2);
      if (kept === undefined) delete live[field];
      else if (isObj(live[field]) && isObj(sub)) prune(live[field] as Obj, sub, kept);
      else if (Array.isArray(live[field]) && isObj(sub))
        pruneList(live[field] as unknown[], sub, kept, live, field);
    }
  }
}

function pruneList(list: unknown[], before: FieldSet, after: FieldSet, parent: Obj, field: string): void {
  const remaining = list.filter((item) => {
    for (const [key, sub] of Object.entries(before)) {
      if (key.startsWith('k:')) {
        const match = JSON.parse(key.slice(2)) as Obj;
        if (isObj(item) && Object.entries(match).every(([mk, mv]) => item[mk] === mv)) {
          const kept = after[key] as FieldSet | undefined;
          if (kept === undefined) return false;
          prune(item, sub as FieldSet, kept);
        }
      } else if (
        key.startsWith('v:') &&
        isDeepStrictEqual(JSON.parse(key.slice(2)), item) &&
        after[key] === undefined
      ) {
        return false;
      }
    }
    return true;
  });
  parent[field] = remaining;
}

/** One managedFields entry. */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldSet;
  subresource?: string;
}

/**
 * Server-side apply: merges the applied configuration into `live` (keyed lists by merge key), removes
 * fields this manager applied before but no longer does, and records its managedFields entry.
 */
export function serverSideApply(
  kind: string,
  live: Obj | undefined,
  applied: Obj,
  manager: string,
  now: string,
  force = false,
): Obj {
  const fields = fieldSetOf(kind, applied);
  let managed = (
    (isObj(live?.metadata) ? ((live!.metadata as Obj).managedFields as ManagedFieldsEntry[]) : undefined) ??
    []
  ).slice();
  if (live) {
    const conflicts = applyConflicts(managed, manager, fields, live, applied);
    if (conflicts.length && !force) throw new ApplyConflictError(conflicts);
    // --force-conflicts: the applier takes the fields over from the other managers.
    managed = managed.map((m) =>
      m.manager === manager
        ? m
        : {
            ...m,
            fieldsV1: withoutLeaves(
              m.fieldsV1,
              new Set(conflicts.filter((c) => c.manager === m.manager).map((c) => c.key)),
            ),
          },
    );
  }
  const mine = managed.findIndex((m) => m.manager === manager && m.operation === 'Apply');
  const result = (live ? strategicMerge(kind, live, applied) : structuredClone(applied)) as Obj;
  if (mine >= 0) prune(result, managed[mine]!.fieldsV1, fields);
  const entry: ManagedFieldsEntry = {
    manager,
    operation: 'Apply',
    apiVersion: String(applied.apiVersion),
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
  };
  if (mine >= 0) managed[mine] = entry;
  else managed.push(entry);
  result.metadata = { ...(result.metadata as Obj), managedFields: managed };
  return result;
}

/** One field another applier owns with a different value. */
export interface ApplyConflict {
  manager: string;
  /** `.spec.replicas`, `.spec.template.spec.containers[name="web"].image`. */
  path: string;
  /** The leaf's key path in FieldsV1 form, joined by `\u0000`. */
  key: string;
}

/** Server-side apply refused: other appliers own these fields with other values (409 Conflict). */
export class ApplyConflictError extends Error {
  constructor(readonly conflicts: ApplyConflict[]) {
    super(
      `Apply failed with ${conflicts.length} conflict${conflicts.length === 1 ? '' : 's'}: ${conflicts
        .map((c) => `conflict with "${c.manager}": ${c.path}`)
        .join('\n')}`,
    );
    this.name = 'ApplyConflictError';
  }
}

/** Leaves of a FieldsV1 set, each as its list of keys (`f:spec`, `k:{"name":"web"}`, `f:image`). */
function leaves(set: FieldSet, prefix: string[] = []): string[][] {
  const out: string[][] = [];
  for (const [k, sub] of Object.entries(set)) {
    if (k === '.') continue;
    const path = [...prefix, k];
    const children = isObj(sub) ? Object.keys(sub).filter((x) => x !== '.') : [];
    if (children.length === 0) out.push(path);
    else out.push(...leaves(sub as FieldSet, path));
  }
  return out;
}

/** The value at a FieldsV1 key path in an object, or undefined. */
function valueAt(object: unknown, keys: string[]): unknown {
  let v: unknown = object;
  for (const k of keys) {
    if (k.startsWith('f:')) v = isObj(v) ? v[k.slice(2)] : undefined;
    else if (k.startsWith('k:')) {
      const match = JSON.parse(k.slice(2)) as Obj;
      v = Array.isArray(v)
        ? v.find((item) => isObj(item) && Object.entries(match).every(([mk, mv]) => item[mk] === mv))
        : undefined;
    } else return undefined;
  }
  return v;
}

/** `.spec.template.spec.containers[name="web"].image`, as the API server prints field paths. */
function printable(keys: string[]): string {
  return keys
    .map((k) => {
      if (k.startsWith('f:')) return `.${k.slice(2)}`;
      const match = JSON.parse(k.slice(2)) as Obj;
      return `[${Object.entries(match)
        .map(([mk, mv]) => `${mk}=${JSON.stringify(mv)}`)
        .join(',')}]`;
    })
    .join('');
}

function applyConflicts(
  managed: ManagedFieldsEntry[],
  manager: string,
  fields: FieldSet,
  live: Obj,
  applied: Obj,
): ApplyConflict[] {
  const mine = new Map(leaves(fields).map((l) => [l.join('\u0000'), l]));
  const out: ApplyConflict[] = [];
  for (const m of managed) {
    if (m.manager === manager || m.operation !== 'Apply') continue;
    for (const l of leaves(m.fieldsV1)) {
      const key = l.join('\u0000');
      if (!mine.has(key)) continue;
      if (isDeepStrictEqual(valueAt(live, l), valueAt(applied, l))) continue;
      out.push({ manager: m.manager, path: printable(l), key });
    }
  }
  return out;
}

function withoutLeaves(set: FieldSet, keys: Set<string>, prefix: string[] = []): FieldSet {
  const out: FieldSet = {};
  for (const [k, sub] of Object.entries(set)) {
    const path = [...prefix, k];
    if (keys.has(path.join('\u0000'))) continue;
    out[k] = isObj(sub) && Object.keys(sub).length ? withoutLeaves(sub as FieldSet, keys, path) : sub;
  }
  return out;
}
