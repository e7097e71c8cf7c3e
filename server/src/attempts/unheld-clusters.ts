import type { LabClusterGateway } from '../clusters/lab-clusters';
import type { AttemptRecord } from './attempt.types';
import { ATTEMPT_CLUSTER_PREFIX } from './provisioning/provisioner';

/**
 * The attempt clusters among `existing` that nobody holds: no live attempt names it and this process
 * does not hold it (the ready pool's clusters, one being claimed). Clusters that are not attempt
 * clusters (the warm pool's, anything else on the provider) are never in it. What the reapers delete.
 */
export function unheldClusters(
  existing: Iterable<string>,
  live: readonly Pick<AttemptRecord, 'clusterName'>[],
  gateway: Pick<LabClusterGateway, 'isHeld'>,
): string[] {
  const held = new Set(live.map((a) => a.clusterName));
  return [...existing].filter(
    (name) => name.startsWith(ATTEMPT_CLUSTER_PREFIX) && !held.has(name) && !gateway.isHeld(name),
  );
}
