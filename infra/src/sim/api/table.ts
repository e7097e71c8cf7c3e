import type { StoredObject } from '../store/object-store';
import type { ResourceDefinition } from '../registry/resource-definition';

/** What `includeObject` asks rows to carry. */
export type IncludeObject = 'None' | 'Metadata' | 'Object';

/** Whether an Accept header asks for a server-side Table. */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept.split(',')[0] ?? '');
}

/** Whether an Accept header asks for PartialObjectMetadata(List). */
export function wantsPartialMetadata(accept: string | undefined): boolean {
  return !!accept && /as=PartialObjectMetadata/.test(accept.split(',')[0] ?? '');
}

/** The PartialObjectMetadata of an object. */
export function partialMetadata(o: StoredObject): object {
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/** A `meta.k8s.io/v1` Table of `objects` with the kind's columns (every column; kubectl hides wide ones). */
export function toTable(
  def: ResourceDefinition,
  objects: readonly StoredObject[],
  listMeta: { resourceVersion: string; continue?: string },
  include: IncludeObject,
  withColumns = true,
): object {
  const now = Date.now();
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMeta,
    ...(withColumns ? { columnDefinitions: def.printer.columns } : { columnDefinitions: null }),
    rows: objects.map((o) => ({
      cells: def.printer.cells(o, now),
      ...(include === 'None' ? {} : { object: include === 'Object' ? o : partialMetadata(o) }),
    })),
  };
}
