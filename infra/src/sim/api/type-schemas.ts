import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { typeDocs } from './api-field-docs';

interface Attribute {
  name: string;
  baseName: string;
  type: string;
  format: string;
}

type ModelTable = Record<string, { attributeTypeMap?: Attribute[] } | undefined>;

let models: ModelTable | undefined;
let loading: Promise<void> | undefined;

/**
 * Loads the @kubernetes/client-node model classes the schemas and field checks below read. Loading
 * client-node is ~0.2 s of CPU, so the sim does it on its API's first request (ApiServer awaits this)
 * rather than at start-up: `netlab sim up` prints its kubeconfig that much sooner. Idempotent.
 */
export function loadTypeModels(): Promise<void> {
  loading ??= import('@kubernetes/client-node').then((k8s) => {
    models = k8s as unknown as ModelTable;
  });
  return loading;
}

function table(): ModelTable {
  if (!models) throw new Error('type-schemas: await loadTypeModels() before reading the models');
  return models;
}

/** The @kubernetes/client-node model class that describes a kind (`V1Pod`, `CoreV1Event`). */
export function modelName(group: string, kind: string): string | undefined {
  if (kind === 'Event') return group === 'events.k8s.io' ? 'EventsV1Event' : 'CoreV1Event';
  const name = `V1${kind}`;
  return table()[name]?.attributeTypeMap ? name : undefined;
}

function attributes(model: string): Attribute[] | undefined {
  return table()[model]?.attributeTypeMap;
}

/** The element/value model of a client-node type string, and how it nests. */
function parseType(type: string): { shape: 'scalar' | 'model' | 'array' | 'map' | 'any'; inner: string } {
  let m = /^Array<(.+)>$/.exec(type);
  if (m) return { shape: 'array', inner: m[1]! };
  m = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (m) return { shape: 'map', inner: m[1]! };
  if (type === 'any' || type === 'object') return { shape: 'any', inner: type };
  if (attributes(type)) return { shape: 'model', inner: type };
  return { shape: 'scalar', inner: type };
}

/**
 * Field paths of `value` that the model does not know, as strict decoding reports them
 * (`spec.replica`, `spec.template.spec.containers[0].imagee`).
 */
export function unknownFields(model: string, value: unknown, prefix = ''): string[] {
  const attrs = attributes(model);
  if (!attrs || !value || typeof value !== 'object' || Array.isArray(value)) return [];
  const out: string[] = [];
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const attr = attrs.find((a) => a.baseName === key);
    if (!attr) {
      out.push(path);
      continue;
    }
    out.push(...unknownIn(attr.type, v, path));
  }
  return out;
}

function unknownIn(type: string, v: unknown, path: string): string[] {
  const t = parseType(type);
  if (t.shape === 'model') return unknownFields(t.inner, v, path);
  if (t.shape === 'array' && Array.isArray(v))
    return v.flatMap((item, i) => unknownIn(t.inner, item, `${path}[${i}]`));
  if (t.shape === 'map' && v && typeof v === 'object') {
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) =>
      unknownIn(t.inner, x, `${path}[${k}]`),
    );
  }
  return [];
}

/** A client-node model's API type name (`V1NetworkPolicySpec` → `NetworkPolicySpec`). */
function bareName(model: string): string {
  return model.replace(/^(Core|Events|Discovery|Apps|Networking|Authorization)?V\d+(alpha\d+|beta\d+)?/, '');
}

/** The OpenAPI schema name of a client-node model (`io.k8s.api.core.v1.Container`). */
export function schemaName(model: string): string {
  const bare = bareName(model);
  const meta = [
    'ObjectMeta',
    'ListMeta',
    'LabelSelector',
    'LabelSelectorRequirement',
    'ManagedFieldsEntry',
    'OwnerReference',
    'Time',
    'MicroTime',
    'Condition',
  ];
  if (meta.includes(bare)) return `io.k8s.apimachinery.pkg.apis.meta.v1.${bare}`;
  const group = /^(Discovery|Events)V1/.exec(model)?.[1]?.toLowerCase() ?? 'core';
  return `io.k8s.api.${group}.v1.${bare}`;
}

function scalarSchema(type: string, format: string): Record<string, unknown> {
  switch (type) {
    case 'number':
      return { type: 'integer', format: format || 'int64' };
    case 'boolean':
      return { type: 'boolean' };
    case 'Date':
      return { type: 'string', format: 'date-time' };
    case 'IntOrString':
      return { 'x-kubernetes-int-or-string': true };
    default:
      return { type: 'string' };
  }
}

function typeSchema(type: string, format: string, out: Record<string, unknown>): Record<string, unknown> {
  const t = parseType(type);
  switch (t.shape) {
    case 'model':
      addModel(t.inner, out);
      return { allOf: [{ $ref: `#/components/schemas/${schemaName(t.inner)}` }], default: {} };
    case 'array':
      return { type: 'array', items: typeSchema(t.inner, '', out) };
    case 'map':
      return { type: 'object', additionalProperties: typeSchema(t.inner, '', out) };
    case 'any':
      return { type: 'object' };
    default:
      return scalarSchema(t.inner, format);
  }
}

/** Adds a model and everything it references to `out` (components.schemas). */
export function addModel(
  model: string,
  out: Record<string, unknown>,
  gvk?: { group: string; version: string; kind: string },
): void {
  const name = schemaName(model);
  if (out[name] && !gvk) return;
  const docs = modelDocs(model);
  const api = typeDocs(
    bareName(model),
    (attributes(model) ?? []).map((a) => a.baseName),
  );
  // kubectl explain prints a field's own text, then its type's, as the real server's documents give
  // them (kubernetes-types carries both; client-node's texts stand in where it has none).
  const schema: Record<string, unknown> = {
    type: 'object',
    description: api?.description || docs.description,
    properties: {},
  };
  out[name] = schema;
  const props: Record<string, unknown> = {};
  for (const a of attributes(model) ?? []) {
    const description = api?.fields[a.baseName] ?? docs.fields[a.baseName];
    props[a.baseName] = {
      ...typeSchema(a.type, a.format, out),
      ...(description ? { description } : {}),
    };
  }
  schema.properties = props;
  if (docs.required.length) schema.required = docs.required;
  if (gvk) schema['x-kubernetes-group-version-kind'] = [gvk];
}

interface ModelDocs {
  description: string;
  fields: Record<string, string>;
  required: string[];
}

let modelsDir: string | undefined;

/** Descriptions from client-node's generated `.d.ts` doc comments (the Kubernetes API docs). */
function modelDocs(model: string): ModelDocs {
  const docs: ModelDocs = { description: '', fields: {}, required: [] };
  try {
    modelsDir ??= join(
      dirname(createRequire(import.meta.url).resolve('@kubernetes/client-node')),
      'gen',
      'models',
    );
    const text = readFileSync(join(modelsDir, `${model}.d.ts`), 'utf8');
    const clean = (c: string): string =>
      c
        .split('\n')
        .map((l) => l.replace(/^\s*\*\s?/, '').trim())
        .filter(Boolean)
        .join(' ')
        .replace(/\\(["'\\])/g, '$1');
    const cls = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export declare class/.exec(text);
    if (cls) docs.description = clean(cls[1]!);
    const field = /(?:\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*)?'([^']+)'(\??):/g;
    for (let m = field.exec(text); m; m = field.exec(text)) {
      if (m[1]) docs.fields[m[2]!] = clean(m[1]);
      if (!m[3]) docs.required.push(m[2]!);
    }
  } catch {
    // Without the .d.ts files explain shows the fields without descriptions.
  }
  return docs;
}
