import { printer, AGE, NAME, ageOf } from './printer-helpers';
import type { TablePrinter } from './resource-definition';
import { CLUSTER_PRINTERS } from './cluster-printers';
import { NETWORK_PRINTERS } from './network-printers';
import { POD_PRINTERS } from './pod-printer';
import { RBAC_PRINTERS } from './rbac-printers';
import { WORKLOAD_PRINTERS } from './workload-printers';

export { podStatus } from './pod-printer';

/** Columns and cells of `kubectl get`, per kind, after kubernetes' pkg/printers/internalversion/printers.go. */
export const TABLE_PRINTERS: Record<string, TablePrinter> = {
  ...POD_PRINTERS,
  ...WORKLOAD_PRINTERS,
  ...NETWORK_PRINTERS,
  ...CLUSTER_PRINTERS,
  ...RBAC_PRINTERS,
};

/** The default printer for kinds without their own: Name and Age. */
export const DEFAULT_PRINTER: TablePrinter = printer([NAME, AGE], (o, now) => [
  o.metadata.name,
  ageOf(o, now),
]);
