import { randomBytes } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { NewObject, ObjectStore, StoredObject } from '../store/object-store';
import { rec, type Obj } from '../registry/printer-helpers';
import {
  groupVersion,
  qualifiedResource,
  type FieldCause,
  type ResourceDefinition,
} from '../registry/resource-definition';
import { goLabelSelector, validateMetadata } from '../registry/validation';
import { DEFAULT_API_LIMITS } from './api-limits';
import { QUOTA_NAME } from '../store/object-store';
import { stampTemplateGeneration } from '../registry/defaults';
import { ApiError } from './api-error';
import { ServiceAllocator } from './service-allocator';
import { modelName, unknownFields } from './type-schemas';

/** Query options shared by writes. */
export interface WriteOptions {
  dryRun: boolean;
  fieldValidation: 'Strict' | 'Warn' | 'Ignore';
  fieldManager?: string;
  /** Warnings to send back as `Warning:` headers. */
  warnings: string[];
}

const KINDS_WITH_STATUS_RESET = new Set([
  'Pod',
  'Deployment',
  'ReplicaSet',
  'DaemonSet',
  'StatefulSet',
  'Service',
  'Ingress',
  'Namespace',
]);
/** Kinds whose spec.replicas the per-workload quota caps. */
const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController']);
/** Namespaces the API server refuses to delete. */
const PROTECTED_NAMESPACES = new Set(['default', 'kube-system', 'kube-public']);
const GENERATE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** Creates, updates and deletes objects with the API server's defaulting, validation and errors. */
export class ObjectWriter {
  private readonly services: ServiceAllocator;

  constructor(
    private readonly store: ObjectStore,
    private readonly replicasPerWorkload = DEFAULT_API_LIMITS.replicasPerWorkload,
  ) {
    this.services = new ServiceAllocator(store);
  }

  /** POST: a new object in `namespace`. */
  create(
    def: ResourceDefinition,
    namespace: string | undefined,
    body: unknown,
    options: WriteOptions,
  ): StoredObject {
    const obj = this.decode(def, body, options, 'creating');
    const meta = rec(obj, 'metadata');
    obj.metadata = meta;
    if (def.namespaced) {
      if (meta.namespace !== undefined && meta.namespace !== '' && meta.namespace !== namespace) {
        throw ApiError.badRequest(
          'the namespace of the provided object does not match the namespace sent on the request',
        );
      }
      meta.namespace = namespace;
      this.requireNamespace(namespace!);
    } else {
      delete meta.namespace;
    }
    if (!meta.name && typeof meta.generateName === 'string' && meta.generateName) {
      meta.name = meta.generateName + generateSuffix();
    }
    for (const k of [
      'uid',
      'resourceVersion',
      'creationTimestamp',
      'deletionTimestamp',
      'deletionGracePeriodSeconds',
      'generation',
    ]) {
      delete meta[k];
    }
    if (def.hasStatus && KINDS_WITH_STATUS_RESET.has(def.kind)) delete obj.status;
    def.applyDefaults?.(obj);
    if (def.kind === 'DaemonSet') stampTemplateGeneration(obj);
    this.validate(def, obj, undefined);
    if (def.kind === 'Pod') this.requireServiceAccount(obj, namespace!);
    if (options.dryRun)
      return {
        ...obj,
        metadata: { ...meta, uid: '', resourceVersion: '', creationTimestamp: new Date().toISOString() },
      } as unknown as StoredObject;
    return this.store.create(def.storeKey, obj as unknown as NewObject);
  }

  /** PUT (or the write after a PATCH): replaces the object, keeping what the subresource does not own. */
  update(
    def: ResourceDefinition,
    current: StoredObject,
    body: unknown,
    subresource: string | undefined,
    options: WriteOptions,
  ): StoredObject {
    const incoming = this.decode(def, body, options, 'updating');
    const meta = rec(incoming, 'metadata');
    if (meta.name !== undefined && meta.name !== current.metadata.name) {
      throw ApiError.badRequest(
        `the name of the object (${String(meta.name)}) does not match the name on the URL (${current.metadata.name})`,
      );
    }
    let next: Obj;
    if (subresource === 'status') {
      next = {
        ...structuredClone(current),
        status: incoming.status,
        metadata: {
          ...structuredClone(current.metadata),
          resourceVersion: meta.resourceVersion ?? current.metadata.resourceVersion,
        },
      };
    } else {
      next = incoming;
      next.metadata = {
        ...meta,
        name: current.metadata.name,
        ...(current.metadata.namespace ? { namespace: current.metadata.namespace } : {}),
        uid: current.metadata.uid,
        creationTimestamp: current.metadata.creationTimestamp,
        ...(current.metadata.generation !== undefined ? { generation: current.metadata.generation } : {}),
        ...(current.metadata.deletionTimestamp
          ? { deletionTimestamp: current.metadata.deletionTimestamp }
          : {}),
        ...(current.metadata.deletionGracePeriodSeconds !== undefined
          ? { deletionGracePeriodSeconds: current.metadata.deletionGracePeriodSeconds }
          : {}),
        ...(meta.managedFields === undefined && current.metadata.managedFields !== undefined
          ? { managedFields: current.metadata.managedFields }
          : {}),
      };
      if (def.hasStatus) {
        if (current.status === undefined) delete next.status;
        else next.status = structuredClone(current.status);
      }
      def.applyDefaults?.(next);
    }
    if (
      meta.resourceVersion !== undefined &&
      meta.resourceVersion !== '' &&
      meta.resourceVersion !== current.metadata.resourceVersion
    ) {
      throw ApiError.of(
        'Conflict',
        `Operation cannot be fulfilled on ${qualifiedResource(def)} "${current.metadata.name}": the object has been modified; please apply your changes to the latest version and try again`,
        { name: current.metadata.name, group: def.group || undefined, kind: def.plural },
      );
    }
    (next.metadata as Obj).resourceVersion = current.metadata.resourceVersion;
    this.validate(def, next, current as unknown as Obj);
    return this.write(def, current, next, options);
  }

  /** Stores `next` unless nothing changed; finishes a deletion whose last finalizer went away. */
  write(def: ResourceDefinition, current: StoredObject, next: Obj, options: WriteOptions): StoredObject {
    if (def.kind === 'DaemonSet') stampTemplateGeneration(next, current as unknown as Obj);
    const { resourceVersion: _a, ...curMeta } = current.metadata;
    const { resourceVersion: _b, ...nextMeta } = next.metadata as Obj;
    if (isDeepStrictEqual({ ...current, metadata: curMeta }, { ...next, metadata: nextMeta })) return current;
    if (options.dryRun) return next as unknown as StoredObject;
    const specChanged = !isDeepStrictEqual(current.spec, next.spec);
    const stored = this.store.update(def.storeKey, next as unknown as NewObject, {
      bumpGeneration: specChanged && current.spec !== undefined,
    });
    if (stored.metadata.deletionTimestamp && !(stored.metadata.finalizers as string[] | undefined)?.length) {
      if (def.kind !== 'Pod' || (stored.metadata.deletionGracePeriodSeconds ?? 0) === 0) {
        return this.store.delete(def.storeKey, stored.metadata.namespace, stored.metadata.name);
      }
    }
    return stored;
  }

  /** DELETE of one object: graceful for scheduled pods, finalizers and propagation policy respected. */
  delete(
    def: ResourceDefinition,
    current: StoredObject,
    body: Obj,
    query: URLSearchParams,
    options: WriteOptions,
  ): StoredObject {
    const grace = numberOr(body.gracePeriodSeconds, query.get('gracePeriodSeconds'));
    const policy = String(
      body.propagationPolicy ??
        query.get('propagationPolicy') ??
        (body.orphanDependents === true ? 'Orphan' : 'Background'),
    );
    const preconditions = rec(body, 'preconditions');
    if (preconditions.uid && preconditions.uid !== current.metadata.uid) {
      throw ApiError.of(
        'Conflict',
        `Precondition failed: UID in precondition: ${String(preconditions.uid)}, UID in object meta: ${current.metadata.uid}`,
      );
    }
    if (options.dryRun) return current;
    const meta = structuredClone(current.metadata) as Obj;
    const finalizers = new Set((meta.finalizers as string[] | undefined) ?? []);
    if (policy === 'Foreground') finalizers.add('foregroundDeletion');
    if (policy === 'Orphan') finalizers.add('orphan');
    const now = new Date();
    if (def.kind === 'Namespace') {
      if (PROTECTED_NAMESPACES.has(current.metadata.name)) {
        throw ApiError.of(
          'Forbidden',
          `namespaces "${current.metadata.name}" is forbidden: this namespace may not be deleted`,
          { name: current.metadata.name, kind: 'namespaces' },
        );
      }
      if (meta.deletionTimestamp) return current;
      return this.store.update(def.storeKey, {
        ...structuredClone(current),
        metadata: { ...meta, deletionTimestamp: isoSeconds(now) },
        status: { ...rec(current, 'status'), phase: 'Terminating' },
      } as unknown as NewObject);
    }
    if (def.kind === 'Pod') {
      const spec = rec(current, 'spec');
      const phase = rec(current, 'status').phase;
      const terminal = phase === 'Succeeded' || phase === 'Failed';
      const seconds =
        grace ??
        (typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30);
      if (spec.nodeName && !terminal && seconds > 0) {
        const previous = meta.deletionGracePeriodSeconds as number | undefined;
        if (previous !== undefined && previous <= seconds) return current;
        meta.deletionTimestamp = isoSeconds(new Date(now.getTime() + seconds * 1000));
        meta.deletionGracePeriodSeconds = seconds;
        if (finalizers.size) meta.finalizers = [...finalizers];
        return this.store.update(def.storeKey, {
          ...structuredClone(current),
          metadata: meta,
        } as unknown as NewObject);
      }
    }
    if (finalizers.size) {
      if (
        meta.deletionTimestamp &&
        isDeepStrictEqual([...finalizers].sort(), [...((meta.finalizers as string[]) ?? [])].sort())
      )
        return current;
      meta.deletionTimestamp ??= isoSeconds(now);
      meta.deletionGracePeriodSeconds ??= 0;
      meta.finalizers = [...finalizers];
      return this.store.update(def.storeKey, {
        ...structuredClone(current),
        metadata: meta,
      } as unknown as NewObject);
    }
    return this.store.delete(def.storeKey, current.metadata.namespace, current.metadata.name);
  }

  /**
   * The ServiceAccount admission: a pod naming an account that does not exist is refused. The
   * `default` account is left out, as the namespace controller creates it just after the namespace.
   */
  private requireServiceAccount(pod: Obj, namespace: string): void {
    const account = rec(pod, 'spec').serviceAccountName;
    if (typeof account !== 'string' || !account || account === 'default') return;
    if (this.store.get('serviceaccounts', namespace, account)) return;
    const name = String(rec(pod, 'metadata').name ?? '');
    throw ApiError.of(
      'Forbidden',
      `pods "${name}" is forbidden: error looking up service account ${namespace}/${account}: serviceaccount "${account}" not found`,
      { name, kind: 'pods' },
      403,
    );
  }

  private requireNamespace(namespace: string): void {
    const ns = this.store.get('namespaces', undefined, namespace);
    if (!ns)
      throw ApiError.of('NotFound', `namespaces "${namespace}" not found`, {
        name: namespace,
        kind: 'namespaces',
      });
    if (ns.metadata.deletionTimestamp) {
      throw ApiError.of(
        'Forbidden',
        `unable to create new content in namespace ${namespace} because it is being terminated`,
        { name: namespace, kind: 'namespaces' },
      );
    }
  }

  /** Checks kind/apiVersion and unknown fields; returns a mutable copy. */
  private decode(
    def: ResourceDefinition,
    body: unknown,
    options: WriteOptions,
    verb: 'creating' | 'updating',
  ): Obj {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw ApiError.badRequest(
        'the body of the request was in an unknown format - accepted media types include: application/json, application/yaml',
      );
    }
    const obj = structuredClone(body) as Obj;
    const gv = groupVersion(def);
    if (obj.apiVersion !== undefined && obj.apiVersion !== gv) {
      throw ApiError.badRequest(
        `the API version in the data (${String(obj.apiVersion)}) does not match the expected API version (${gv})`,
      );
    }
    if (obj.kind !== undefined && obj.kind !== def.kind) {
      throw ApiError.badRequest(
        `the kind in the data (${String(obj.kind)}) does not match the expected kind (${def.kind})`,
      );
    }
    obj.apiVersion = gv;
    obj.kind = def.kind;
    const model = modelName(def.group, def.kind);
    if (model && options.fieldValidation !== 'Ignore') {
      const unknown = unknownFields(model, obj);
      if (unknown.length && options.fieldValidation === 'Strict') {
        throw ApiError.badRequest(
          `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}: strict decoding error: ${unknown.map((f) => `unknown field "${f}"`).join(', ')}`,
        );
      }
      options.warnings.push(...unknown.map((f) => `unknown field "${f}"`));
    }
    void verb;
    return obj;
  }

  private validate(def: ResourceDefinition, obj: Obj, old: Obj | undefined): void {
    const causes: FieldCause[] = [...(def.validate?.(obj) ?? []), ...validateMetadata(obj)];
    if (rec(obj, 'spec', 'template', 'metadata').labels)
      causes.push(...validateMetadata(obj, 'spec.template.metadata'));
    if (old) {
      for (const path of def.immutable) {
        const a = dig(obj, path);
        const b = dig(old, path);
        if (b !== undefined && !isDeepStrictEqual(a, b)) {
          const shown = path === 'spec.selector' ? goLabelSelector(a) : JSON.stringify(a);
          causes.push({
            reason: 'FieldValueInvalid',
            field: path,
            message: `Invalid value: ${shown}: field is immutable`,
          });
        }
      }
      if (def.kind === 'Pod') causes.push(...podUpdateCauses(obj, old));
    }
    if (def.kind === 'Service') causes.push(...this.services.allocate(obj, old));
    if (causes.length)
      throw ApiError.invalid(def.kind, def.group, String(rec(obj, 'metadata').name ?? ''), causes);
    this.admitReplicas(def, obj);
  }

  /** The per-workload replica quota: a workload asking for more is refused as a ResourceQuota would. */
  admitReplicas(def: ResourceDefinition, obj: Obj): void {
    if (!WORKLOADS.has(def.kind)) return;
    const replicas = rec(obj, 'spec').replicas;
    if (typeof replicas !== 'number' || replicas <= this.replicasPerWorkload) return;
    throw ApiError.of(
      'Forbidden',
      `${def.plural}${def.group ? `.${def.group}` : ''} "${String(rec(obj, 'metadata').name ?? '')}" is forbidden: exceeded quota: ${QUOTA_NAME}, requested: replicas=${replicas}, limited: replicas=${this.replicasPerWorkload}`,
      {
        name: String(rec(obj, 'metadata').name ?? ''),
        ...(def.group ? { group: def.group } : {}),
        kind: def.plural,
      },
      403,
    );
  }
}

function podUpdateCauses(next: Obj, old: Obj): FieldCause[] {
  const strip = (spec: Obj): Obj => {
    const s = structuredClone(spec);
    for (const key of ['containers', 'initContainers']) {
      if (Array.isArray(s[key])) for (const c of s[key] as Obj[]) delete c.image;
    }
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    delete s.terminationGracePeriodSeconds;
    delete s.ephemeralContainers;
    delete s.nodeName;
    return s;
  };
  if (isDeepStrictEqual(strip(rec(next, 'spec')), strip(rec(old, 'spec')))) return [];
  return [
    {
      reason: 'FieldValueForbidden',
      field: 'spec',
      message:
        'Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)',
    },
  ];
}

function dig(obj: Obj, path: string): unknown {
  let v: unknown = obj;
  for (const p of path.split('.')) v = v && typeof v === 'object' ? (v as Obj)[p] : undefined;
  return v;
}

function numberOr(a: unknown, b: string | null): number | undefined {
  if (typeof a === 'number') return a;
  if (b !== null && b !== '' && !Number.isNaN(Number(b))) return Number(b);
  return undefined;
}

function generateSuffix(): string {
  return [...randomBytes(5)].map((b) => GENERATE_ALPHABET[b % GENERATE_ALPHABET.length]).join('');
}

/** RFC 3339 with seconds precision, as Kubernetes timestamps are. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d+Z$/, 'Z');
}
