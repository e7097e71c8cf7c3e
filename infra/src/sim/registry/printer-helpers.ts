import type { StoredObject } from '../store/object-store';
import { age } from './human-duration';
import type { TableColumn, TablePrinter } from './resource-definition';

/** A loosely typed view of an object's fields, for printers and defaulting. */
export type Obj = Record<string, unknown>;

/** Reads a nested field (`spec.template.spec`) as a record, or an empty record. */
export function rec(value: unknown, ...path: string[]): Obj {
  let v = value;
  for (const p of path) v = v && typeof v === 'object' ? (v as Obj)[p] : undefined;
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {};
}

/** Reads a nested field as an array of records, or an empty array. */
export function arr(value: unknown, ...path: string[]): Obj[] {
  let v = value;
  for (const p of path) v = v && typeof v === 'object' ? (v as Obj)[p] : undefined;
  return Array.isArray(v) ? (v as Obj[]) : [];
}

/** A number field, 0 when absent. */
export function num(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}

/** A string field, or `fallback` when absent or empty. */
export function str(value: unknown, fallback = '<none>'): string {
  return typeof value === 'string' && value !== '' ? value : fallback;
}

/** The Name column every kind starts with. */
export const NAME: TableColumn = {
  name: 'Name',
  type: 'string',
  format: 'name',
  description:
    'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names',
  priority: 0,
};

/** The Age column. */
export const AGE: TableColumn = {
  name: 'Age',
  type: 'string',
  description:
    'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata',
  priority: 0,
};

/** Shorthand for a column. */
export function col(
  name: string,
  type: TableColumn['type'] = 'string',
  priority = 0,
  description = '',
): TableColumn {
  return { name, type, format: '', description, priority };
}

/** A printer whose first cell is the name and whose `Age` sits where `cells` puts `AGE_CELL`. */
export function printer(
  columns: TableColumn[],
  cells: (o: StoredObject, now: number) => unknown[],
): TablePrinter {
  return { columns, cells };
}

/** The age cell of an object. */
export function ageOf(o: StoredObject, now: number): string {
  return age(o.metadata.creationTimestamp, now);
}

/** labels.FormatLabels: `a=b,c=d` sorted by key, or `<none>`. */
export function formatLabels(labels: unknown): string {
  const entries = Object.entries(rec(labels)).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([k, v]) => `${k}=${String(v)}`).join(',') : '<none>';
}

/** metav1.FormatLabelSelector: `app=web,tier in (a,b)`, or `<none>`. */
export function formatLabelSelector(selector: unknown): string {
  const s = rec(selector);
  const parts: string[] = [];
  for (const [k, v] of Object.entries(rec(s.matchLabels)).sort(([a], [b]) => a.localeCompare(b))) {
    parts.push(`${k}=${String(v)}`);
  }
  for (const e of arr(s.matchExpressions)) {
    const values = (Array.isArray(e.values) ? (e.values as string[]) : []).slice().sort();
    switch (e.operator) {
      case 'In':
        parts.push(`${String(e.key)} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${String(e.key)} notin (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(String(e.key));
        break;
      case 'DoesNotExist':
        parts.push(`!${String(e.key)}`);
        break;
    }
  }
  return parts.length ? parts.join(',') : '<none>';
}

/** Containers and Images columns of workload kinds. */
export function containersAndImages(podSpec: Obj): [string, string] {
  const cs = arr(podSpec, 'containers');
  return [cs.map((c) => String(c.name)).join(','), cs.map((c) => String(c.image)).join(',')];
}

/** The three wide columns of workload kinds. */
export const WORKLOAD_WIDE = [
  col('Containers', 'string', 1, 'Names of each container in the template.'),
  col('Images', 'string', 1, 'Images referenced by each container in the template.'),
  col('Selector', 'string', 1, 'Label selector of the workload.'),
];

/** Joins up to `max` items, then ` + N more...`, as several printers do. */
export function joinMore(items: string[], max = 3, sep = ','): string {
  if (items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)} + ${items.length - max} more...`;
}
