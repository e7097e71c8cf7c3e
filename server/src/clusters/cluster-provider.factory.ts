import { readFileSync } from 'node:fs';
import {
  createKindProvider,
  SimHostProvider,
  ExternalProvider,
  parsePoolTargets,
  poolTurnedOff,
  WarmPool,
  type ClusterProvider,
  type PoolProvider,
} from '@netlab/infra';
import type { AppConfig } from '../config/app-config';
import { createSimWarmPool, DEFAULT_SIM_POOL, poolSize } from './sim-warm-pool';

/**
 * The sim provider the platform uses: clusters live in supervised worker processes (sim hosts), so
 * one learner's cluster can never take the server down; the server reaches them by kubeconfig only.
 * The hosts start on the first create, so a server that serves no attempt yet starts no host.
 */
export function createPlatformSimProvider(
  config?: Pick<AppConfig, 'pool' | 'attempts'> & Partial<Pick<AppConfig, 'readyPool'>>,
): ClusterProvider {
  if (!config) return new SimHostProvider();
  // Room on the hosts for every attempt the server admits plus the warm pool, with a margin for
  // clusters being deleted while their replacements are made.
  const warm = poolTurnedOff(config.pool)
    ? 0
    : poolSize(parsePoolTargets(config.pool ?? DEFAULT_SIM_POOL).targets);
  const pooled = warm + (config.readyPool ?? []).reduce((n, t) => n + t.size, 0);
  const hosts = 2;
  const clustersPerHost = Math.max(100, Math.ceil(((config.attempts.capacity + pooled) * 1.2) / hosts));
  return new SimHostProvider({ hosts, clustersPerHost });
}

/** The cluster provider named by NETLAB_PROVIDER. */
export function createClusterProvider(
  config: Pick<AppConfig, 'provider' | 'kubeconfigPath'> &
    Partial<Pick<AppConfig, 'pool' | 'attempts' | 'readyPool'>>,
): ClusterProvider {
  switch (config.provider) {
    case 'sim':
      return createPlatformSimProvider(
        config.attempts
          ? { pool: config.pool, attempts: config.attempts, readyPool: config.readyPool }
          : undefined,
      );
    case 'kind':
      return createKindProvider();
    case 'external': {
      if (!config.kubeconfigPath)
        throw new Error('NETLAB_PROVIDER=external needs NETLAB_KUBECONFIG (the path of a kubeconfig file)');
      return new ExternalProvider({ kubeconfig: readFileSync(config.kubeconfigPath, 'utf8') });
    }
  }
}

/**
 * The warm pool: on the sim always (NETLAB_POOL or DEFAULT_SIM_POOL; `off` turns it off), elsewhere
 * when NETLAB_POOL is set (kind: clusters take a minute to make); else undefined.
 */
export function createWarmPool(
  config: Pick<AppConfig, 'pool' | 'poolConcurrency'> & Partial<Pick<AppConfig, 'provider'>>,
  provider: ClusterProvider,
  log: (line: string) => void,
): WarmPool | undefined {
  if (provider.kind === 'sim')
    return createSimWarmPool({
      provider,
      pool: config.pool,
      concurrency: config.poolConcurrency,
      onEvent: (event) => {
        if (event.type === 'create-failed') log(`pool create-failed ${event.name}: ${String(event.error)}`);
      },
    });
  if (!config.pool || poolTurnedOff(config.pool)) return undefined;
  const { targets, problems } = parsePoolTargets(config.pool);
  if (problems.length) throw new Error(`NETLAB_POOL: ${problems.join('; ')}`);
  return new WarmPool({
    provider: provider as PoolProvider,
    targets,
    concurrency: config.poolConcurrency,
    onEvent: (event) => log(`pool ${event.type} ${'name' in event ? event.name : ''}`),
  });
}
