import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ObjectStore, StoredObject } from '../store/object-store';
import { rec, type Obj } from '../registry/printer-helpers';
import { groupVersion, qualifiedResource, type ResourceDefinition } from '../registry/resource-definition';
import { findResource } from '../registry/resources';
import { asServed, toCoreEvent } from './event-conversion';
import {
  componentStatuses,
  NODE_LEASE_NAMESPACE,
  nodeLeaseOf,
  scaleOf,
  selfSubjectReview,
} from './subresource-views';
import { ApiError } from './api-error';
import { issueServiceAccountToken } from './auth/service-account-token';
import { requestUsers } from './auth/in-cluster-gate';
import { ADMIN_USER, type RequestUser } from './auth/request-user';
import { parseBody, readBody, sendJson } from './http-util';
import { checkShape } from './body-limits';
import { DEFAULT_API_LIMITS, type ApiLimits } from './api-limits';
import { applyJsonPatch } from './patch/json-patch';
import { isoSeconds, ObjectWriter, type WriteOptions } from './object-writer';
import { ApplyConflictError, serverSideApply } from './patch/server-side-apply';
import { jsonMergePatch, strategicMerge } from './patch/strategic-merge';
import type { ResourceRequest } from './request-info';
import { equalityLabels, selectorMatcher } from './selectors';
import { partialMetadata, toTable, wantsPartialMetadata, wantsTable, type IncludeObject } from './table';

/** GET/POST/PUT/PATCH/DELETE on resources and their status, scale and ephemeralcontainers subresources. */
export class ResourceHandler {
  readonly writer: ObjectWriter;

  constructor(
    private readonly store: ObjectStore,
    limits: ApiLimits = DEFAULT_API_LIMITS,
    /** The `/version` minor: deprecation warnings depend on it. */
    private readonly minor = 33,
  ) {
    this.writer = new ObjectWriter(store, limits.replicasPerWorkload);
  }

  /** Serves one non-watch, non-streaming resource request. */
  async handle(
    req: IncomingMessage,
    res: ServerResponse,
    r: ResourceRequest,
    query: URLSearchParams,
  ): Promise<void> {
    const { def } = r;
    const method = req.method ?? 'GET';
    const options: WriteOptions = {
      dryRun: query.getAll('dryRun').includes('All'),
      fieldValidation: fieldValidation(query.get('fieldValidation')),
      ...(query.get('fieldManager') ? { fieldManager: query.get('fieldManager')! } : {}),
      warnings: [],
    };
    const verbs = r.subresource ? def.subresources.find((s) => s.name === r.subresource)?.verbs : def.verbs;
    if (r.subresource && !verbs)
      throw ApiError.notFound(qualifiedResource(def), r.name!, def.group, def.plural);
    const need = verbFor(method, !!r.name, r.subresource);
    if (!verbs!.includes(need)) throw ApiError.methodNotAllowed();
    if (def.kind === 'ComponentStatus') options.warnings.push('v1 ComponentStatus is deprecated in v1.19+');
    if (def.kind === 'Endpoints' && this.minor >= 33)
      options.warnings.push('v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice');
    let code = 200;
    let body: unknown;
    switch (need) {
      case 'list':
        body = this.list(def, r.namespace, query, req.headers.accept);
        break;
      case 'get':
        body = this.present(def, this.get(r), req.headers.accept, r.subresource);
        break;
      case 'create': {
        const input = parseBody(await readBody(req), req.headers['content-type']);
        if (r.subresource) {
          body = this.createSubresource(r, input as Obj);
          code = 201;
          break;
        }
        if (def.kind.startsWith('SelfSubject'))
          body = selfSubjectReview({ ...(input as Obj), kind: def.kind }, this.runAs(req));
        else if (def.group === 'events.k8s.io') {
          const core = findResource('', 'v1', 'events')!;
          body = asServed(def, this.writer.create(core, r.namespace, toCoreEvent(input as Obj), options));
        } else body = this.writer.create(def, r.namespace, input, options);
        code = 201;
        break;
      }
      case 'update': {
        const input = parseBody(await readBody(req), req.headers['content-type']);
        body = this.update(r, input as Obj, options);
        break;
      }
      case 'patch': {
        const input = parseBody(await readBody(req), req.headers['content-type']);
        const result = this.patch(r, input, req.headers['content-type'] ?? '', options, query);
        body = result.object;
        if (result.created) code = 201;
        break;
      }
      case 'delete': {
        const input = parseBody(await readBody(req), 'application/json') as Obj;
        const current = this.get(r);
        body = this.writer.delete(def, current, input, query, options);
        break;
      }
      case 'deletecollection': {
        const input = parseBody(await readBody(req), 'application/json') as Obj;
        const items = this.select(def, r.namespace, query).map((o) =>
          this.writer.delete(def, o, input, query, options),
        );
        body = {
          kind: `${def.kind}List`,
          apiVersion: groupVersion(def),
          metadata: { resourceVersion: String(this.store.resourceVersion) },
          items,
        };
        break;
      }
    }
    const headers: Record<string, string> = {};
    if (options.warnings.length)
      headers.Warning = options.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', ');
    sendJson(res, code, body, headers);
  }

  /** The object named by the request, or NotFound. */
  get(r: ResourceRequest): StoredObject {
    const o =
      this.store.get(r.def.storeKey, r.namespace, r.name!) ??
      this.nodeLease(r.def, r.namespace, r.name!) ??
      (r.def.kind === 'ComponentStatus'
        ? componentStatuses().find((c) => c.metadata.name === r.name)
        : undefined);
    if (!o) throw ApiError.notFound(qualifiedResource(r.def), r.name!, r.def.group, r.def.plural);
    return o;
  }

  /** Objects matching the request's namespace and selectors. */
  select(def: ResourceDefinition, namespace: string | undefined, query: URLSearchParams): StoredObject[] {
    const match = selectorMatcher(query.get('labelSelector'), query.get('fieldSelector'));
    if (def.kind === 'ComponentStatus') return componentStatuses().filter(match);
    const stored = this.store.list(def.storeKey, namespace, equalityLabels(query.get('labelSelector')));
    if (def.kind !== 'Lease' || (namespace && namespace !== NODE_LEASE_NAMESPACE))
      return stored.filter(match);
    const derived = this.store
      .list('nodes', undefined)
      .map((n) => this.nodeLease(def, NODE_LEASE_NAMESPACE, n.metadata.name))
      .filter((l): l is StoredObject => !!l && !stored.some((s) => keyOf(s) === keyOf(l)));
    return [...stored, ...derived].sort((a, b) => keyOf(a).localeCompare(keyOf(b))).filter(match);
  }

  /** A node's heartbeat Lease when none is stored: every node has one, as with a real kubelet. */
  private nodeLease(
    def: ResourceDefinition,
    namespace: string | undefined,
    name: string,
  ): StoredObject | undefined {
    if (def.kind !== 'Lease' || namespace !== NODE_LEASE_NAMESPACE) return undefined;
    if (this.store.get(def.storeKey, namespace, name)) return undefined;
    const node = this.store.get('nodes', undefined, name);
    return node && !node.metadata.deletionTimestamp ? nodeLeaseOf(node) : undefined;
  }

  private list(
    def: ResourceDefinition,
    namespace: string | undefined,
    query: URLSearchParams,
    accept: string | undefined,
  ): unknown {
    let items = this.select(def, namespace, query);
    const rv = String(this.store.resourceVersion);
    const meta: { resourceVersion: string; continue?: string; remainingItemCount?: number } = {
      resourceVersion: rv,
    };
    const cont = query.get('continue');
    if (cont) {
      const after = Buffer.from(cont, 'base64url').toString('utf8');
      items = items.filter((o) => keyOf(o) > after);
    }
    const limit = Number(query.get('limit') ?? 0);
    if (limit > 0 && items.length > limit) {
      meta.remainingItemCount = items.length - limit;
      items = items.slice(0, limit);
      meta.continue = Buffer.from(keyOf(items[items.length - 1]!)).toString('base64url');
    }
    if (wantsTable(accept)) {
      const include = (query.get('includeObject') ?? 'Metadata') as IncludeObject;
      return toTable(def, items, meta, include);
    }
    if (wantsPartialMetadata(accept)) {
      return {
        kind: 'PartialObjectMetadataList',
        apiVersion: 'meta.k8s.io/v1',
        metadata: meta,
        items: items.map(partialMetadata),
      };
    }
    return {
      kind: `${def.kind}List`,
      apiVersion: groupVersion(def),
      metadata: meta,
      items: items.map((o) => asServed(def, o)),
    };
  }

  private present(
    def: ResourceDefinition,
    o: StoredObject,
    accept: string | undefined,
    subresource?: string,
  ): unknown {
    if (subresource === 'scale') return scaleOf(o);
    if (wantsTable(accept))
      return toTable(def, [o], { resourceVersion: o.metadata.resourceVersion }, 'Metadata');
    if (wantsPartialMetadata(accept)) return partialMetadata(o);
    return asServed(def, o);
  }

  private update(r: ResourceRequest, input: Obj, options: WriteOptions): unknown {
    const current = this.get(r);
    if (r.subresource === 'scale') return scaleOf(this.applyScale(r.def, current, input, options));
    if (r.subresource === 'ephemeralcontainers') return this.applyEphemeral(r.def, current, input, options);
    return this.writer.update(r.def, current, input, r.subresource, options);
  }

  private patch(
    r: ResourceRequest,
    patch: unknown,
    contentType: string,
    options: WriteOptions,
    query: URLSearchParams,
  ): { object: unknown; created?: boolean } {
    const { def } = r;
    const type = contentType.split(';')[0]!.trim();
    const current = this.store.get(def.storeKey, r.namespace, r.name!);
    if (type === 'application/apply-patch+yaml') {
      const manager = query.get('fieldManager');
      if (!manager)
        throw ApiError.badRequest(
          'PATCH, application/apply-patch+yaml requests must include the fieldManager query parameter',
        );
      let applied: Obj;
      try {
        applied = serverSideApply(
          def.kind,
          current ? (structuredClone(current) as unknown as Obj) : undefined,
          patch as Obj,
          manager,
          isoSeconds(new Date()),
          query.get('force') === 'true',
        );
      } catch (e) {
        // A body that is not an object (or holds null where an object belongs) is the client's error.
        if (e instanceof TypeError) throw ApiError.badRequest(`error decoding apply patch: ${e.message}`);
        if (!(e instanceof ApplyConflictError)) throw e;
        throw ApiError.of('Conflict', e.message, {
          name: r.name,
          group: def.group || undefined,
          kind: def.plural,
          causes: e.conflicts.map((c) => ({
            reason: 'FieldManagerConflict',
            message: `conflict with "${c.manager}"`,
            field: c.path,
          })),
        });
      }
      if (!current) return { object: this.writer.create(def, r.namespace, applied, options), created: true };
      return {
        object: this.writer.update(
          def,
          current,
          { ...applied, metadata: { ...(applied.metadata as Obj), resourceVersion: undefined } },
          r.subresource,
          options,
        ),
      };
    }
    if (!current) throw ApiError.notFound(qualifiedResource(def), r.name!, def.group, def.plural);
    const base: unknown = r.subresource === 'scale' ? scaleOf(current) : structuredClone(current);
    let patched: unknown;
    switch (type) {
      case 'application/strategic-merge-patch+json':
        patched = strategicMerge(r.subresource === 'scale' ? 'Scale' : def.kind, base, patch);
        break;
      case 'application/merge-patch+json':
        patched = jsonMergePatch(base, patch);
        break;
      case 'application/json-patch+json':
        patched = applyJsonPatch(base, patch);
        break;
      default:
        throw ApiError.of(
          'UnsupportedMediaType',
          `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json`,
          undefined,
          415,
        );
    }
    // Merging two bounded objects can still nest one inside the other: check the result too.
    checkShape(patched);
    if (r.subresource === 'scale')
      return { object: scaleOf(this.applyScale(def, current, patched as Obj, options)) };
    if (r.subresource === 'ephemeralcontainers')
      return { object: this.applyEphemeral(def, current, patched as Obj, options) };
    return { object: this.writer.update(def, current, patched, r.subresource, options) };
  }

  private applyScale(
    def: ResourceDefinition,
    current: StoredObject,
    scale: Obj,
    options: WriteOptions,
  ): StoredObject {
    const replicas = rec(scale, 'spec').replicas;
    if (typeof replicas !== 'number' || replicas < 0) {
      throw ApiError.invalid('Scale', 'autoscaling', current.metadata.name, [
        {
          reason: 'FieldValueInvalid',
          field: 'spec.replicas',
          message: `Invalid value: ${String(replicas)}: must be greater than or equal to 0`,
        },
      ]);
    }
    const next = structuredClone(current) as unknown as Obj;
    (next.spec as Obj).replicas = replicas;
    this.writer.admitReplicas(def, next);
    return this.writer.write(def, current, next, options);
  }

  private applyEphemeral(
    def: ResourceDefinition,
    current: StoredObject,
    pod: Obj,
    options: WriteOptions,
  ): StoredObject {
    const next = structuredClone(current) as unknown as Obj;
    const ephemeral = (rec(pod, 'spec').ephemeralContainers as Obj[] | undefined) ?? [];
    for (const c of ephemeral) {
      c.imagePullPolicy ??=
        String(c.image ?? '').includes(':') && !String(c.image).endsWith(':latest')
          ? 'IfNotPresent'
          : 'Always';
      c.terminationMessagePath ??= '/dev/termination-log';
      c.terminationMessagePolicy ??= 'File';
      c.resources ??= {};
    }
    (next.spec as Obj).ephemeralContainers = ephemeral;
    return this.writer.write(def, current, next, options);
  }

  private createSubresource(r: ResourceRequest, input: Obj): unknown {
    const current = this.get(r);
    const success = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };
    const noop: WriteOptions = { dryRun: false, fieldValidation: 'Ignore', warnings: [] };
    switch (r.subresource) {
      case 'binding': {
        if (rec(current, 'spec').nodeName) {
          throw ApiError.of(
            'Conflict',
            `Operation cannot be fulfilled on pods/binding "${current.metadata.name}": pod ${current.metadata.name} is already assigned to node "${String(rec(current, 'spec').nodeName)}"`,
          );
        }
        const next = structuredClone(current) as unknown as Obj;
        (next.spec as Obj).nodeName = rec(input, 'target').name;
        this.writer.write(r.def, current, next, noop);
        return success;
      }
      case 'eviction':
        this.writer.delete(r.def, current, rec(input, 'deleteOptions'), new URLSearchParams(), noop);
        return success;
      case 'token': {
        // A TokenRequest (`kubectl create token`): a token the in-cluster API authenticates.
        const seconds = Number(rec(input, 'spec').expirationSeconds) || 3600;
        const now = Date.now();
        return {
          kind: 'TokenRequest',
          apiVersion: 'authentication.k8s.io/v1',
          metadata: { creationTimestamp: null },
          spec: rec(input, 'spec'),
          status: {
            token: issueServiceAccountToken(
              {
                namespace: current.metadata.namespace ?? 'default',
                serviceAccount: { name: current.metadata.name, uid: current.metadata.uid },
              },
              now,
              seconds,
            ),
            expirationTimestamp: isoSeconds(new Date(now + seconds * 1000)),
          },
        };
      }
      default:
        throw ApiError.methodNotAllowed();
    }
  }

  /** The user a request runs as when it is not the kubeconfig's admin (impersonated, or from a Pod). */
  private runAs(req: IncomingMessage): { user: RequestUser; store: ObjectStore } | undefined {
    const user = requestUsers.get(req);
    return user && user.username !== ADMIN_USER.username ? { user, store: this.store } : undefined;
  }
}

function keyOf(o: StoredObject): string {
  return `${o.metadata.namespace ?? ''}/${o.metadata.name}`;
}

function fieldValidation(v: string | null): WriteOptions['fieldValidation'] {
  return v === 'Strict' || v === 'Ignore' ? v : 'Warn';
}

function verbFor(method: string, named: boolean, subresource: string | undefined): string {
  switch (method) {
    case 'GET':
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return subresource ? 'unknown' : 'unknown';
  }
}
