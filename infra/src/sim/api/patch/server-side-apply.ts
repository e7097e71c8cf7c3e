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
    if (isObj(v)) out[`f:${k}`] = fieldSetOf(kind, v, childPath);
    else if (Array.isArray(v)) {
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
): Obj {
  const fields = fieldSetOf(kind, applied);
  const managed = (
    (isObj(live?.metadata) ? ((live!.metadata as Obj).managedFields as ManagedFieldsEntry[]) : undefined) ??
    []
  ).slice();
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
