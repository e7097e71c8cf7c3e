import type { ObjectStore, StoredObject } from '../../store/object-store';
import { parseResourcePath } from '../request-info';
import type { RequestUser } from './request-user';

/** What a request asks to do, as the API server's RequestInfoFactory decodes it for authorization. */
export type RequestAttributes =
  | {
      kind: 'resource';
      verb: string;
      group: string;
      resource: string;
      subresource?: string;
      namespace?: string;
      name?: string;
    }
  | { kind: 'non-resource'; verb: string; path: string };

/** One rule of a Role or ClusterRole. */
export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

interface Subject {
  kind?: string;
  name?: string;
  namespace?: string;
}

const RBAC = 'rbac.authorization.k8s.io';

/** The attributes of a request: method and URL to verb, group, resource, subresource, namespace, name. */
export function requestAttributes(method: string, url: URL): RequestAttributes {
  const parsed = parseResourcePath(url.pathname);
  const m = method.toUpperCase();
  if (!parsed) return { kind: 'non-resource', verb: m.toLowerCase(), path: url.pathname };
  const info =
    'unknown' in parsed
      ? { group: parsed.group, resource: parsed.unknown, ...resourceTail(url.pathname, parsed.unknown) }
      : {
          group: parsed.def.group,
          resource: parsed.def.plural,
          ...(parsed.namespace ? { namespace: parsed.namespace } : {}),
          ...(parsed.name ? { name: parsed.name } : {}),
          ...(parsed.subresource ? { subresource: parsed.subresource } : {}),
        };
  const watch = ['true', '1'].includes(url.searchParams.get('watch') ?? '');
  let verb: string;
  if (m === 'GET' || m === 'HEAD') verb = watch ? 'watch' : info.name ? 'get' : 'list';
  else if (m === 'POST') verb = 'create';
  else if (m === 'PUT') verb = 'update';
  else if (m === 'PATCH') verb = 'patch';
  else if (m === 'DELETE') verb = info.name ? 'delete' : 'deletecollection';
  else verb = m.toLowerCase();
  return { kind: 'resource', verb, ...info };
}

/** Namespace and name of a path whose resource the sim does not serve (authorized before the 404). */
function resourceTail(path: string, resource: string): { namespace?: string; name?: string } {
  const segs = path.split('/').filter(Boolean);
  const at = segs.indexOf(resource);
  const ns = segs[at - 2] === 'namespaces' ? segs[at - 1] : undefined;
  const name = segs[at + 1];
  return { ...(ns ? { namespace: ns } : {}), ...(name ? { name } : {}) };
}

/**
 * The RBAC authorizer: allowed when a ClusterRoleBinding, or a RoleBinding of the request's
 * namespace, binds one of the user's names or groups to a (Cluster)Role with a rule covering the
 * request. system:masters is allowed everything first, as the API server's privileged group.
 */
export function authorize(store: ObjectStore, user: RequestUser, attrs: RequestAttributes): boolean {
  if (user.groups.includes('system:masters')) return true;
  for (const crb of store.list(`${RBAC}/clusterrolebindings`)) {
    if (!bindsUser(crb, user, undefined)) continue;
    if (rulesOf(store, crb, undefined).some((r) => ruleAllows(r, attrs))) return true;
  }
  if (attrs.kind !== 'resource' || !attrs.namespace) return false;
  for (const rb of store.list(`${RBAC}/rolebindings`, attrs.namespace)) {
    if (!bindsUser(rb, user, attrs.namespace)) continue;
    if (rulesOf(store, rb, attrs.namespace).some((r) => ruleAllows(r, attrs))) return true;
  }
  return false;
}

/** Every rule that applies to the user in `namespace` (cluster-wide ones first), for a SelfSubjectRulesReview. */
export function rulesFor(store: ObjectStore, user: RequestUser, namespace: string | undefined): PolicyRule[] {
  const out: PolicyRule[] = [];
  for (const crb of store.list(`${RBAC}/clusterrolebindings`))
    if (bindsUser(crb, user, undefined)) out.push(...rulesOf(store, crb, undefined));
  if (namespace)
    for (const rb of store.list(`${RBAC}/rolebindings`, namespace))
      if (bindsUser(rb, user, namespace)) out.push(...rulesOf(store, rb, namespace));
  return out;
}

function bindsUser(binding: StoredObject, user: RequestUser, namespace: string | undefined): boolean {
  const subjects = (binding.subjects as Subject[] | undefined) ?? [];
  return subjects.some((s) => {
    switch (s.kind) {
      case 'User':
        return s.name === user.username;
      case 'Group':
        return s.name !== undefined && user.groups.includes(s.name);
      case 'ServiceAccount': {
        // A RoleBinding's ServiceAccount subject without a namespace means the binding's own.
        const ns = s.namespace || namespace;
        return ns !== undefined && user.username === `system:serviceaccount:${ns}:${s.name}`;
      }
      default:
        return false;
    }
  });
}

function rulesOf(store: ObjectStore, binding: StoredObject, namespace: string | undefined): PolicyRule[] {
  const ref = binding.roleRef as { kind?: string; name?: string } | undefined;
  if (!ref?.name) return [];
  const role =
    ref.kind === 'ClusterRole'
      ? store.get(`${RBAC}/clusterroles`, undefined, ref.name)
      : namespace
        ? store.get(`${RBAC}/roles`, namespace, ref.name)
        : undefined;
  return (role?.rules as PolicyRule[] | undefined) ?? [];
}

/** Whether one PolicyRule covers the request (rbac/v1 `RuleAllows`). */
export function ruleAllows(rule: PolicyRule, attrs: RequestAttributes): boolean {
  const verbs = rule.verbs ?? [];
  if (!verbs.includes('*') && !verbs.includes(attrs.verb)) return false;
  if (attrs.kind === 'non-resource') {
    return (rule.nonResourceURLs ?? []).some(
      (u) => u === '*' || u === attrs.path || (u.endsWith('*') && attrs.path.startsWith(u.slice(0, -1))),
    );
  }
  const groups = rule.apiGroups ?? [];
  if (!groups.includes('*') && !groups.includes(attrs.group)) return false;
  const combined = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const resources = rule.resources ?? [];
  const resourceOk = resources.some(
    (r) => r === '*' || r === combined || (attrs.subresource !== undefined && r === `*/${attrs.subresource}`),
  );
  if (!resourceOk) return false;
  const names = rule.resourceNames ?? [];
  return names.length === 0 || (attrs.name !== undefined && names.includes(attrs.name));
}

/** The Forbidden Status message the API server writes (`responsewriters.Forbidden`). */
export function forbiddenMessage(user: RequestUser, attrs: RequestAttributes): string {
  if (attrs.kind === 'non-resource')
    return `forbidden: User "${user.username}" cannot ${attrs.verb} path "${attrs.path}"`;
  const gr = attrs.group ? `${attrs.resource}.${attrs.group}` : attrs.resource;
  const subject = attrs.name ? `${gr} "${attrs.name}"` : gr;
  const resource = attrs.subresource ? `${attrs.resource}/${attrs.subresource}` : attrs.resource;
  const scope = attrs.namespace ? `in the namespace "${attrs.namespace}"` : 'at the cluster scope';
  return `${subject} is forbidden: User "${user.username}" cannot ${attrs.verb} resource "${resource}" in API group "${attrs.group}" ${scope}`;
}
