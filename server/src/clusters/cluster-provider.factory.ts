import { readFileSync } from 'node:fs';
import {
  createKindProvider,
  SimHostProvider,
  ExternalProvider,
  parsePoolTargets,
  WarmPool,
  type ClusterProvider,
  type PoolProvider,
} from '@netlab/infra';
import type { AppConfig } from '../config/app-config';

/**
 * The sim provider the platform uses: clusters live in supervised worker processes (sim hosts), so
 * one learner's cluster can never take the server down; the server reaches them by kubeconfig only.
 * The hosts start on the first create, so a server that serves no attempt yet starts no host.
 */
export function createPlatformSimProvider(): ClusterProvider {
  return new SimHostProvider();
}

/** The cluster provider named by NETLAB_PROVIDER. */
export function createClusterProvider(
  config: Pick<AppConfig, 'provider' | 'kubeconfigPath'>,
): ClusterProvider {
  switch (config.provider) {
    case 'sim':
      return createPlatformSimProvider();
    case 'kind':
      return createKindProvider();
    case 'external': {
      if (!config.kubeconfigPath)
        throw new Error('NETLAB_PROVIDER=external needs NETLAB_KUBECONFIG (the path of a kubeconfig file)');
      return new ExternalProvider({ kubeconfig: readFileSync(config.kubeconfigPath, 'utf8') });
    }
  }
}

/** The warm pool when NETLAB_POOL is set (kind: clusters take a minute to make), else undefined. */
export function createWarmPool(
  config: Pick<AppConfig, 'pool' | 'poolConcurrency'>,
  provider: ClusterProvider,
  log: (line: string) => void,
): WarmPool | undefined {
  if (!config.pool) return undefined;
  const { targets, problems } = parsePoolTargets(config.pool);
  if (problems.length) throw new Error(`NETLAB_POOL: ${problems.join('; ')}`);
  return new WarmPool({
    provider: provider as PoolProvider,
    targets,
    concurrency: config.poolConcurrency,
    onEvent: (event) => log(`pool ${event.type} ${'name' in event ? event.name : ''}`),
  });
}
