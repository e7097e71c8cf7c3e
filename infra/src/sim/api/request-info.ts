import { findResource } from '../registry/resources';
import type { ResourceDefinition } from '../registry/resource-definition';

/** A resource request, decoded from its path the way the API server's RequestInfoFactory does. */
export interface ResourceRequest {
  def: ResourceDefinition;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/**
 * Decodes `/api/v1/namespaces/ns/pods/x/log` or `/apis/apps/v1/deployments`. Returns undefined when the
 * path is not a resource path; `{ unknown: plural }` when the resource is not served.
 */
export function parseResourcePath(
  path: string,
): ResourceRequest | { unknown: string; group: string; version: string } | undefined {
  const segs = path.split('/').filter(Boolean).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segs[0] === 'api' && segs.length >= 3) {
    group = '';
    version = segs[1]!;
    rest = segs.slice(2);
  } else if (segs[0] === 'apis' && segs.length >= 4) {
    group = segs[1]!;
    version = segs[2]!;
    rest = segs.slice(3);
  } else {
    return undefined;
  }
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const def = findResource(group, version, rest[2]!);
    if (!def || !def.namespaced) return { unknown: rest[2]!, group, version };
    return { def, namespace: rest[1], name: rest[3], subresource: rest[4] };
  }
  const def = findResource(group, version, rest[0]!);
  if (!def) return { unknown: rest[0]!, group, version };
  return { def, name: rest[1], subresource: rest[2] };
}
