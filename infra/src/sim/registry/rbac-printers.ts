import type { StoredObject } from '../store/object-store';
import { AGE, NAME, ageOf, col, printer } from './printer-helpers';
import type { TablePrinter } from './resource-definition';

const CREATED_AT = col('Created At', 'date', 0, 'Timestamp is the time the object was created.');

function subjects(o: StoredObject, kind: string): string {
  const list = (o.subjects as Array<{ kind: string; name: string; namespace?: string }> | undefined) ?? [];
  return list
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${s.namespace ?? ''}/${s.name}` : s.name))
    .join(', ');
}

const roles = printer([NAME, CREATED_AT], (o) => [o.metadata.name, o.metadata.creationTimestamp]);

const bindings = printer(
  [
    NAME,
    col('Role', 'string', 0, 'RoleRef is the reference to the role this binding grants.'),
    AGE,
    col('Users', 'string', 1, 'Users in the binding'),
    col('Groups', 'string', 1, 'Groups in the binding'),
    col('ServiceAccounts', 'string', 1, 'ServiceAccounts in the binding'),
  ],
  (o, now) => {
    const ref = (o.roleRef as { kind?: string; name?: string } | undefined) ?? {};
    return [
      o.metadata.name,
      `${ref.kind ?? ''}/${ref.name ?? ''}`,
      ageOf(o, now),
      subjects(o, 'User'),
      subjects(o, 'Group'),
      subjects(o, 'ServiceAccount'),
    ];
  },
);

/** Roles and bindings as printers.go prints them (`kubectl get clusterrolebinding -o wide`). */
export const RBAC_PRINTERS: Record<string, TablePrinter> = {
  Role: roles,
  ClusterRole: roles,
  RoleBinding: bindings,
  ClusterRoleBinding: bindings,
};
