/** Nest injection token of the platform's `ClusterProvider` (sim, kind or external, from config). */
export const CLUSTER_PROVIDER = Symbol('ClusterProvider');
