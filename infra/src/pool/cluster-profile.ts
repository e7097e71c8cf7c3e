import type { ClusterSpec } from '../providers/provider';

/** The shape of cluster a lab needs; warm clusters are kept per profile (nodes × CNI on/off). */
export interface ClusterProfile {
  nodes: number;
  cni: boolean;
}

/** Label on a pool cluster's ownership record: its profile key, so a restarted pool can adopt it. */
export const POOL_LABEL = 'netlab.dev/pool';

/** A stable key for a profile, e.g. `2n-cni` or `1n-nocni` (also used in cluster names). */
export function profileKey(profile: ClusterProfile): string {
  return `${profile.nodes}n-${profile.cni ? 'cni' : 'nocni'}`;
}

/** The profile a key names, or undefined when it is not one. */
export function parseProfileKey(key: string): ClusterProfile | undefined {
  const m = /^(\d+)n-(cni|nocni)$/.exec(key);
  return m ? { nodes: Number(m[1]), cni: m[2] === 'cni' } : undefined;
}

/** The profile of a cluster spec (e.g. a lab's cluster needs). */
export function profileOf(spec: Pick<ClusterSpec, 'nodes' | 'cni'>): ClusterProfile {
  return { nodes: spec.nodes, cni: spec.cni };
}
