import type { StoredObject } from '../store/object-store';

/** One column of a server-side Table, as `meta.k8s.io/v1` Table `columnDefinitions` carry it. */
export interface TableColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  format?: string;
  description?: string;
  /** 0 is shown by default; 1 only with `-o wide`. */
  priority: number;
}

/** The cells of a kind's Table rows, with the columns they fill. */
export interface TablePrinter {
  columns: TableColumn[];
  /** One row's cells; `now` makes ages testable. */
  cells(object: StoredObject, now: number): unknown[];
}

/** A field validation failure, as an Invalid Status lists it in `details.causes`. */
export interface FieldCause {
  reason:
    | 'FieldValueRequired'
    | 'FieldValueInvalid'
    | 'FieldValueNotSupported'
    | 'FieldValueDuplicate'
    | 'FieldValueForbidden';
  field: string;
  message: string;
}

/** A subresource of a resource (`pods/log`, `deployments/scale`). */
export interface SubresourceDefinition {
  name: string;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
}

/** Everything the API server needs to know about one resource: naming, scope, verbs and behaviour. */
export interface ResourceDefinition {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  verbs: string[];
  subresources: SubresourceDefinition[];
  /** Key in the object store: `pods`, `apps/deployments`. */
  storeKey: string;
  /** Whether `status` is a subresource: main-resource writes keep status, status writes keep spec. */
  hasStatus: boolean;
  /** Dotted paths that cannot change once set (`spec.selector`). */
  immutable: string[];
  printer: TablePrinter;
  /** Fills defaults the way the API server does, in place. */
  applyDefaults?(object: Record<string, unknown>): void;
  /** Returns every validation problem of an object about to be written. */
  validate?(object: Record<string, unknown>): FieldCause[];
}

/** `group/version`, or `v1` for the core group. */
export function groupVersion(def: Pick<ResourceDefinition, 'group' | 'version'>): string {
  return def.group ? `${def.group}/${def.version}` : def.version;
}

/** How Kubernetes names a resource in messages: `pods`, `deployments.apps`. */
export function qualifiedResource(def: Pick<ResourceDefinition, 'group' | 'plural'>): string {
  return def.group ? `${def.plural}.${def.group}` : def.plural;
}
