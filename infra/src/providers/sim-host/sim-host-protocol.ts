import type { SimClusterOptions } from '../../sim/sim-cluster';

/** A request from the provider to a sim host. */
export type HostRequest =
  | { id: number; op: 'create'; options: Omit<SimClusterOptions, 'runtime'> }
  | { id: number; op: 'delete'; name: string }
  | { id: number; op: 'list' };

/** A sim host's answer to request `id` (id 0: the host is ready). */
export interface HostReply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
  /** SimClusterManagerError's reason, when that is what failed. */
  reason?: string;
}
