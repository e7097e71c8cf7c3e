import { ApiError } from '../api-error';
import { listStrategy } from './merge-keys';

type Json = unknown;
type Obj = Record<string, Json>;

function isObj(v: Json): v is Obj {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Applies a strategic merge patch (kubectl patch, apply, edit, set image) to `original`, honouring list
 * merge keys and the directives `$patch`, `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>`. Returns a new object.
 */
export function strategicMerge(kind: string, original: Json, patch: Json): Json {
  if (!isObj(patch))
    throw ApiError.badRequest(
      'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    );
  return mergeMap(kind, [], isObj(original) ? original : {}, patch) ?? {};
}

function mergeMap(kind: string, path: string[], original: Obj, patch: Obj): Obj | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') {
    const { $patch: _, ...rest } = patch;
    return structuredClone(rest);
  }
  const result: Obj = structuredClone(original);
  const orders: Record<string, Json[]> = {};
  const primitiveDeletes: Record<string, Json[]> = {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k === '$retainKeys') continue;
    if (k.startsWith('$setElementOrder/')) {
      orders[k.slice('$setElementOrder/'.length)] = v as Json[];
      continue;
    }
    if (k.startsWith('$deleteFromPrimitiveList/')) {
      primitiveDeletes[k.slice('$deleteFromPrimitiveList/'.length)] = v as Json[];
      continue;
    }
    const childPath = [...path, k];
    if (v === null) {
      delete result[k];
    } else if (isObj(v)) {
      const merged = mergeMap(kind, childPath, isObj(result[k]) ? (result[k] as Obj) : {}, v);
      if (merged === undefined) delete result[k];
      else result[k] = merged;
    } else if (Array.isArray(v)) {
      result[k] = mergeList(kind, childPath, Array.isArray(result[k]) ? (result[k] as Json[]) : [], v);
    } else {
      result[k] = v;
    }
  }
  for (const [k, values] of Object.entries(primitiveDeletes)) {
    if (Array.isArray(result[k])) result[k] = (result[k] as Json[]).filter((x) => !values.includes(x));
  }
  for (const [k, order] of Object.entries(orders)) {
    if (Array.isArray(result[k])) result[k] = applyOrder(kind, [...path, k], result[k] as Json[], order);
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys as string[]);
    for (const k of Object.keys(result)) if (!keep.has(k)) delete result[k];
  }
  return result;
}

function mergeList(kind: string, path: string[], original: Json[], patch: Json[]): Json[] {
  const strategy = listStrategy(kind, path);
  const replaceAll = patch.find((p) => isObj(p) && p.$patch === 'replace');
  if (replaceAll) return structuredClone(patch.filter((p) => p !== replaceAll));
  if (strategy.kind === 'primitive-merge') {
    const out = [...original];
    for (const v of patch) if (!out.includes(v)) out.push(v);
    return out;
  }
  if (strategy.kind === 'replace' || !patch.every(isObj)) return structuredClone(patch);
  const key = strategy.key;
  const out = structuredClone(original) as Json[];
  for (const item of patch as Obj[]) {
    const idx = out.findIndex((o) => isObj(o) && o[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) {
      const merged = mergeMap(kind, path, out[idx] as Obj, item);
      if (merged === undefined) out.splice(idx, 1);
      else out[idx] = merged;
    } else {
      const { $patch: _, ...rest } = item;
      out.push(mergeMap(kind, path, {}, rest) ?? {});
    }
  }
  return out;
}

function applyOrder(kind: string, path: string[], list: Json[], order: Json[]): Json[] {
  const strategy = listStrategy(kind, path);
  const keyOf = (v: Json): Json => (strategy.kind === 'merge' && isObj(v) ? v[strategy.key] : v);
  const orderKeys = order.map(keyOf);
  const rank = (v: Json): number => {
    const i = orderKeys.indexOf(keyOf(v));
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return list
    .map((v, i) => ({ v, i }))
    .sort((a, b) => rank(a.v) - rank(b.v) || a.i - b.i)
    .map((x) => x.v);
}

/** RFC 7386 JSON merge patch. */
export function jsonMergePatch(original: Json, patch: Json): Json {
  if (!isObj(patch)) return structuredClone(patch);
  const result: Obj = isObj(original) ? structuredClone(original) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete result[k];
    else result[k] = jsonMergePatch(result[k], v);
  }
  return result;
}
