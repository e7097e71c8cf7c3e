import { ApiError } from './api-error';
import { decodeWire, WireBudget, type WireField } from './protobuf-wire';
import { PROTO_MESSAGES, PROTO_ROOTS, type ProtoType } from './protobuf-schema';

const MAGIC = [0x6b, 0x38, 0x73, 0x00];

/**
 * Decodes a `application/vnd.kubernetes.protobuf` body (what kubectl's typed clients send for
 * `create namespace|deployment|service|configmap|secret`, `auth can-i`) into the JSON object.
 */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (body.length < 4 || !MAGIC.every((b, i) => body[i] === b)) {
    throw ApiError.badRequest('provided input is not a Kubernetes protobuf object (missing "k8s\\0" prefix)');
  }
  try {
    const budget = new WireBudget();
    let apiVersion = '';
    let kind = '';
    let raw: Uint8Array = new Uint8Array();
    for (const f of decodeWire(body.subarray(4), budget)) {
      if (f.field === 1 && f.bytes) {
        for (const t of decodeWire(f.bytes, budget)) {
          if (t.field === 1 && t.bytes) apiVersion = text(t.bytes);
          if (t.field === 2 && t.bytes) kind = text(t.bytes);
        }
      } else if (f.field === 2 && f.bytes) raw = f.bytes;
    }
    const root = PROTO_ROOTS[`${apiVersion}/${kind}`];
    if (!root) {
      throw ApiError.of(
        'UnsupportedMediaType',
        `the sim API decodes protobuf only for kubectl's typed create requests; ${kind} ${apiVersion} is not one of them`,
        undefined,
        415,
      );
    }
    return { apiVersion, kind, ...(prune(decodeMessage(root, raw, budget)) as Record<string, unknown>) };
  } catch (e) {
    if (e instanceof ApiError) throw e;
    throw ApiError.badRequest(`error decoding protobuf body: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function text(b: Uint8Array): string {
  return Buffer.from(b).toString('utf8');
}

function decodeMessage(name: string, buf: Uint8Array, budget: WireBudget): Record<string, unknown> {
  const schema = PROTO_MESSAGES[name];
  const out: Record<string, unknown> = {};
  if (!schema) return out;
  for (const f of decodeWire(buf, budget)) {
    const entry = schema[f.field];
    if (!entry) continue;
    const [json, type, repeated] = entry;
    const value = decodeValue(type, f, budget);
    if (value === undefined) continue;
    // Maps and lists grow in place: one entry costs O(1), so decoding stays linear in the body.
    if (json === '...') {
      Object.assign(out, value);
    } else if (typeof type === 'object' && 'map' in type) {
      const [k, v] = value as [string, unknown];
      const map = (out[json] ??= Object.create(null) as Record<string, unknown>) as Record<string, unknown>;
      map[k] = v;
    } else if (repeated) {
      ((out[json] ??= []) as unknown[]).push(value);
    } else {
      out[json] = value;
    }
  }
  return out;
}

function decodeValue(type: ProtoType, f: WireField, budget: WireBudget): unknown {
  if (typeof type === 'object' && 'map' in type) {
    let key = '';
    let value: unknown = type.map[1] === 'string' ? '' : undefined;
    for (const e of decodeWire(f.bytes ?? new Uint8Array(), budget)) {
      if (e.field === 1) key = text(e.bytes ?? new Uint8Array());
      if (e.field === 2) value = decodeValue(type.map[1], e, budget);
    }
    return [key, value];
  }
  switch (type) {
    case 'string':
      return f.bytes ? text(f.bytes) : undefined;
    case 'bytes':
      return f.bytes ? Buffer.from(f.bytes).toString('base64') : undefined;
    case 'int':
      return f.varint;
    case 'bool':
      return f.varint !== undefined ? f.varint !== 0 : undefined;
    case 'time': {
      const m = decodeMessage('Time', f.bytes ?? new Uint8Array(), budget);
      const seconds = Number(m.seconds ?? 0);
      return seconds ? new Date(seconds * 1000).toISOString().replace(/\.\d+Z$/, 'Z') : null;
    }
    case 'intOrString': {
      const m = decodeMessage('IntOrString', f.bytes ?? new Uint8Array(), budget);
      return m.type === 1 ? (m.strVal ?? '') : (m.intVal ?? 0);
    }
    case 'quantity':
      return decodeMessage('Quantity', f.bytes ?? new Uint8Array(), budget).string;
    default:
      return f.bytes ? decodeMessage(type, f.bytes, budget) : undefined;
  }
}

/** Drops the zero values gogo-protobuf writes for non-pointer fields (JSON omits them). */
function prune(value: unknown, key = ''): unknown {
  // Strings inside lists stay, even empty ones: `apiGroups: [""]` names the core group.
  if (Array.isArray(value)) return value.map((v) => (typeof v === 'string' ? v : prune(v)));
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      const p = prune(v, k);
      if (p !== undefined) out[k] = p;
    }
    return out;
  }
  if (value === '' || value === false || value === null) return undefined;
  if (value === 0 && key !== 'replicas' && key !== 'intVal') return undefined;
  return value;
}
