import { randomBytes } from 'node:crypto';
import { KubeConfig } from '@kubernetes/client-node';
import {
  parsePoolTargets,
  poolTurnedOff,
  profileKey,
  WarmPool,
  type ClusterHandle,
  type ClusterProvider,
  type ClusterSpec,
  type PoolEvent,
  type PoolTarget,
} from '@netlab/infra';
import { ClusterClients } from './cluster-clients';
import { ensureToolbox } from './toolbox';

/**
 * Prefix of warm sim cluster names. It starts with the attempts' own prefix (`na-`), so a pool
 * cluster that nothing holds any more (the server died between a claim and the attempt recording
 * it) is reaped like any other attempt cluster; the gateway hides the ones the pool still holds.
 */
export const SIM_POOL_PREFIX = 'na-pool-';

/** Warm sim clusters kept when NETLAB_POOL is not set: the catalog's common shape (2 nodes, CNI on). */
export const DEFAULT_SIM_POOL = '2n-cni=10';

/**
 * A provider whose clusters come with the learner's toolbox already running: a warm cluster is
 * one an attempt can use at once, like a real cluster that has been up for a while. A cluster whose
 * toolbox does not start is deleted, never handed out half-made.
 */
export function withToolbox(provider: ClusterProvider, toolboxTimeoutMs: number): ClusterProvider {
  return {
    kind: provider.kind,
    async create(spec: ClusterSpec, signal?: AbortSignal): Promise<ClusterHandle> {
      const handle = await provider.create(spec, signal);
      const kc = new KubeConfig();
      kc.loadFromString(handle.kubeconfig);
      const clients = new ClusterClients(kc);
      try {
        await ensureToolbox(clients, { timeoutMs: toolboxTimeoutMs, signal });
        return handle;
      } catch (error) {
        await provider.delete(handle.name).catch(() => undefined);
        throw error;
      } finally {
        clients.dispose();
      }
    },
    delete: (name) => provider.delete(name),
    list: () => provider.list(),
  };
}

/**
 * The sim's warm pool (on unless NETLAB_POOL is set to something else): clusters with kube-system
 * and the toolbox up, claimed by the cluster step and refilled in the background. Sim clusters die
 * with their sim hosts, so nothing is adopted at start-up; leftovers carry SIM_POOL_PREFIX and the
 * reconciler deletes them.
 */
export function createSimWarmPool(options: {
  provider: ClusterProvider;
  pool: string | undefined;
  concurrency: number;
  toolboxTimeoutMs?: number;
  onEvent?: (event: PoolEvent) => void;
}): WarmPool | undefined {
  if (poolTurnedOff(options.pool)) return undefined;
  const { targets, problems } = parsePoolTargets(options.pool ?? DEFAULT_SIM_POOL);
  if (problems.length) throw new Error(`NETLAB_POOL: ${problems.join('; ')}`);
  if (!targets.some((t) => t.size > 0)) return undefined;
  return new WarmPool({
    provider: withToolbox(options.provider, options.toolboxTimeoutMs ?? 10_000),
    targets,
    concurrency: Math.max(2, options.concurrency),
    retryDelayMs: 1000,
    maxRetryDelayMs: 30_000,
    newName: (profile) => `${SIM_POOL_PREFIX}${profileKey(profile)}-${randomSuffix()}`,
    onEvent: options.onEvent,
  });
}

/** Clusters the pool keeps warm in all, for sizing the sim hosts. */
export function poolSize(targets: readonly PoolTarget[]): number {
  return targets.reduce((n, t) => n + t.size, 0);
}

function randomSuffix(): string {
  return [...randomBytes(8)].map((b) => 'abcdefghijklmnopqrstuvwxyz0123456789'[b % 36]).join('');
}
