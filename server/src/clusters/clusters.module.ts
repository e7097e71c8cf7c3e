import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { ClusterProvider, WarmPool } from '@netlab/infra';
import type { Server } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CLUSTER_PROVIDER } from './cluster-provider.token';
import { createClusterProvider, createWarmPool } from './cluster-provider.factory';
import { LAB_CLUSTERS, LabClusters } from './lab-clusters';

/** Nest injection token of the kind warm pool (undefined unless NETLAB_POOL is set). */
export const WARM_POOL = Symbol('WarmPool');

@Injectable()
class ClustersLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(CLUSTER_PROVIDER)
    private readonly provider: ClusterProvider & { close?: () => Promise<void> },
    @Inject(WARM_POOL) private readonly pool: WarmPool | undefined,
    @Inject(HttpAdapterHost) private readonly adapter: HttpAdapterHost,
  ) {}

  /**
   * The pool fills once the server listens: its cluster creates (and the sim hosts' start) compete
   * for the CPU the server needs to become ready (npm start → /readyz 2.5 s with the fill deferred,
   * 5.4 s with it at bootstrap, on 2 cores). An app that never listens (a CLI) fills at bootstrap.
   */
  onApplicationBootstrap(): void {
    const server = this.adapter.httpAdapter?.getHttpServer() as Server | undefined;
    const start = () => void this.pool?.start();
    if (server && !server.listening) server.once('listening', start);
    else start();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.pool?.stop({ drain: false });
    await this.provider.close?.();
  }
}

/**
 * The platform's clusters: CLUSTER_PROVIDER from NETLAB_PROVIDER (sim, kind, external), the kind
 * warm pool when NETLAB_POOL is set, and LAB_CLUSTERS, the gateway the attempts layer uses.
 */
@Global()
@Module({
  providers: [
    {
      provide: CLUSTER_PROVIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createClusterProvider(config),
    },
    {
      provide: WARM_POOL,
      inject: [APP_CONFIG, CLUSTER_PROVIDER],
      useFactory: (config: AppConfig, provider: ClusterProvider) =>
        createWarmPool(config, provider, (line) => new Logger('WarmPool').log(line)),
    },
    {
      provide: LAB_CLUSTERS,
      inject: [CLUSTER_PROVIDER, WARM_POOL],
      useFactory: (provider: ClusterProvider, pool: WarmPool | undefined) => new LabClusters(provider, pool),
    },
    ClustersLifecycle,
  ],
  exports: [CLUSTER_PROVIDER, LAB_CLUSTERS, WARM_POOL],
})
export class ClustersModule {}
