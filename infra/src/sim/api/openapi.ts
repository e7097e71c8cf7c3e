import { createHash } from 'node:crypto';
import { RESOURCES, groupVersions } from '../registry/resources';
import { groupVersion } from '../registry/resource-definition';
import { addModel, modelName } from './type-schemas';

/** The `/openapi/v3` index: one entry per served group/version. */
export function openapiIndex(): object {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of groupVersions()) {
    const key = gv.group ? `apis/${gv.group}/${gv.version}` : `api/${gv.version}`;
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${hashOf(openapiDocument(key) ?? key)}` };
  }
  return { paths };
}

function hashOf(text: string): string {
  return createHash('sha512').update(text).digest('hex').slice(0, 128).toUpperCase();
}

const cache = new Map<string, string>();

/**
 * The OpenAPI v3 document of one group/version (`api/v1`, `apis/apps/v1`) as JSON text: a GET and a
 * PATCH (with the `fieldValidation` parameter, which makes kubectl validate server-side) per resource,
 * and schemas built from @kubernetes/client-node's model metadata for `kubectl explain`.
 */
export function openapiDocument(path: string): string | undefined {
  const hit = cache.get(path);
  if (hit) return hit;
  const m = /^(?:api\/(v1)|apis\/([^/]+)\/([^/]+))$/.exec(path);
  if (!m) return undefined;
  const group = m[2] ?? '';
  const version = m[1] ?? m[3]!;
  const defs = RESOURCES.filter((r) => r.group === group && r.version === version);
  if (!defs.length) return undefined;
  const schemas: Record<string, unknown> = {};
  const paths: Record<string, unknown> = {};
  const params = [
    { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
    { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
    { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
    { name: 'force', in: 'query', schema: { type: 'boolean', uniqueItems: true } },
  ];
  for (const r of defs) {
    const gvk = { group, version, kind: r.kind };
    const model = modelName(group, r.kind);
    if (model) addModel(model, schemas, gvk);
    const base = `/${group ? 'apis' : 'api'}/${groupVersion(r)}${r.namespaced ? '/namespaces/{namespace}' : ''}/${r.plural}`;
    const ref = model
      ? {
          $ref: `#/components/schemas/${Object.keys(schemas).find((k) => (schemas[k] as Record<string, unknown>)['x-kubernetes-group-version-kind'] && k.endsWith(`.${r.kind}`)) ?? ''}`,
        }
      : {};
    const ok = { '200': { description: 'OK', content: { 'application/json': { schema: ref } } } };
    paths[`${base}/{name}`] = {
      get: { 'x-kubernetes-action': 'get', 'x-kubernetes-group-version-kind': gvk, responses: ok },
      put: {
        'x-kubernetes-action': 'put',
        'x-kubernetes-group-version-kind': gvk,
        parameters: params,
        responses: ok,
      },
      patch: {
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': gvk,
        parameters: params,
        responses: ok,
      },
    };
    paths[base] = {
      post: {
        'x-kubernetes-action': 'post',
        'x-kubernetes-group-version-kind': gvk,
        parameters: params,
        responses: ok,
      },
    };
  }
  const doc = JSON.stringify({
    openapi: '3.0.0',
    info: { title: 'Kubernetes', version: 'v1.30.0' },
    paths,
    components: { schemas },
  });
  cache.set(path, doc);
  return doc;
}
