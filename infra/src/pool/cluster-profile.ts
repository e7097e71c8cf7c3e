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

/**
 * Pool targets from text such as `2n-cni=2,1n-nocni=1` (e.g. the NETLAB_POOL variable); every
 * problem is reported, each naming the bad entry and what was expected.
 */
/** Whether a pool setting turns the warm pool off (`off`, `none`, `0`, or empty). */
export function poolTurnedOff(text: string | undefined): boolean {
  return text !== undefined && ['', 'off', 'none', '0'].includes(text.trim().toLowerCase());
}

export function parsePoolTargets(text: string): {
  targets: { profile: ClusterProfile; size: number }[];
  problems: string[];
} {
  const targets: { profile: ClusterProfile; size: number }[] = [];
  const problems: string[] = [];
  for (const entry of text
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [key = '', size = ''] = entry.split('=').map((s) => s.trim());
    const profile = parseProfileKey(key);
    if (!profile || profile.nodes < 1) {
      problems.push(
        `"${entry}": "${key}" is not a profile; expected <nodes>n-cni or <nodes>n-nocni, e.g. 2n-cni`,
      );
    } else if (!/^\d+$/.test(size)) {
      problems.push(`"${entry}": the size "${size}" must be a whole number, e.g. ${key}=1`);
    } else if (targets.some((t) => profileKey(t.profile) === key)) {
      problems.push(`"${entry}": profile ${key} is listed twice`);
    } else {
      targets.push({ profile, size: Number(size) });
    }
  }
  return { targets, problems };
}
