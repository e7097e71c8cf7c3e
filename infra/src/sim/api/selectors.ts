import type { StoredObject } from '../store/object-store';
import { ApiError } from './api-error';

/** A compiled selector: true when the object matches. */
export type Matcher = (object: StoredObject) => boolean;

interface Requirement {
  key: string;
  op: 'in' | 'notin' | 'exists' | '!exists' | '=' | '!=';
  values: string[];
}

/** Parses a label selector (`a=b,c!=d,e in (x,y),!f,g`) into a matcher; throws BadRequest when malformed. */
export function labelSelector(text: string | null | undefined): Matcher {
  if (!text) return () => true;
  const reqs = parseLabelSelector(text);
  return (o) => {
    const labels = o.metadata.labels ?? {};
    return reqs.every((r) => {
      const has = Object.prototype.hasOwnProperty.call(labels, r.key);
      const v = labels[r.key];
      switch (r.op) {
        case 'exists':
          return has;
        case '!exists':
          return !has;
        case '=':
        case 'in':
          return has && r.values.includes(v!);
        case '!=':
        case 'notin':
          return !has || !r.values.includes(v!);
      }
    });
  };
}

/**
 * The `key=value` requirements of a label selector, for the store's label index (the full matcher
 * still decides); undefined when there are none. Throws BadRequest when malformed, as labelSelector.
 */
export function equalityLabels(text: string | null | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  const pairs = parseLabelSelector(text).filter(
    (r) => r.op === '=' || (r.op === 'in' && r.values.length === 1),
  );
  if (pairs.length === 0) return undefined;
  const out: Record<string, string> = {};
  for (const r of pairs) {
    // Two different values for one key match nothing; the matcher says so, the index need not.
    if (out[r.key] !== undefined && out[r.key] !== r.values[0]) return undefined;
    out[r.key] = r.values[0]!;
  }
  return out;
}

function parseLabelSelector(text: string): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((raw) => {
    const p = raw.trim();
    let m = /^(\S+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(p);
    if (m) return { key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((s) => s.trim()) };
    m = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(p);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] };
    m = /^!\s*([^=!\s]+)$/.exec(p);
    if (m) return { key: m[1]!, op: '!exists', values: [] };
    if (/^[A-Za-z0-9._/-]+$/.test(p)) return { key: p, op: 'exists', values: [] };
    throw ApiError.badRequest(`unable to parse requirement: found '${p}', expected: identifier`);
  });
}

/** Parses a field selector (`metadata.name=x,status.phase!=Failed`) into a matcher over dotted paths. */
export function fieldSelector(text: string | null | undefined): Matcher {
  if (!text) return () => true;
  const reqs = text.split(',').map((raw) => {
    const m = /^([^=!]+)(==|=|!=)(.*)$/.exec(raw.trim());
    if (!m) throw ApiError.badRequest(`invalid selector: '${text}'; can't understand '${raw}'`);
    return { path: m[1]!.trim().split('.'), negate: m[2] === '!=', value: m[3]! };
  });
  return (o) =>
    reqs.every((r) => {
      let v: unknown = o;
      for (const p of r.path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined;
      const actual = v === undefined || v === null ? '' : String(v);
      return r.negate ? actual !== r.value : actual === r.value;
    });
}

/** The field-selector keys the API server only accepts per kind would reject; we accept any path. */
export function selectorMatcher(labels: string | null, fields: string | null): Matcher {
  const l = labelSelector(labels);
  const f = fieldSelector(fields);
  return (o) => l(o) && f(o);
}
