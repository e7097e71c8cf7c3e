import type { ClusterProvider } from '@netlab/infra';
import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { CLUSTER_PROVIDER } from '../clusters/cluster-provider.token';
import { createClusterProvider } from '../clusters/cluster-provider.factory';
import { APP_CONFIG, type AppConfig } from '../config/app-config';

// Stand-in until the attempts work's ClustersModule lands: binds CLUSTER_PROVIDER from config so
// /readyz can ask the provider. The integrator replaces this module with ClustersModule.
@Injectable()
class ProviderCloser implements OnApplicationShutdown {
  constructor(
    @Inject(CLUSTER_PROVIDER) private readonly provider: ClusterProvider & { close?: () => Promise<void> },
  ) {}
  async onApplicationShutdown(): Promise<void> {
    await this.provider.close?.();
  }
}

/** Binds CLUSTER_PROVIDER (sim, kind or external per NETLAB_PROVIDER). */
@Global()
@Module({
  providers: [
    {
      provide: CLUSTER_PROVIDER,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => createClusterProvider(config),
    },
    ProviderCloser,
  ],
  exports: [CLUSTER_PROVIDER],
})
export class PlatformClustersModule {}
