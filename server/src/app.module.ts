import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { CohortsModule } from './cohorts/cohorts.module';
import { ErrorFilter } from './common/error.filter';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import type { DatabaseService } from './database/database.service';
import { ObservabilityModule } from './observability/observability.module';
import { PlatformClustersModule } from './observability/platform-clusters.module';

/** Options of {@link AppModule.forRoot}. */
export interface AppModuleOptions {
  /** A database opened already (tests); otherwise the DatabaseModule opens the configured one. */
  database?: DatabaseService;
  logLevel?: string;
}

/** The whole platform. Feature modules are imported here; each owns one folder of server/src. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        options.database ? DatabaseModule.withService(options.database) : DatabaseModule,
        ObservabilityModule.forRoot(options.logLevel ? { logLevel: options.logLevel } : {}),
        PlatformClustersModule,
        AuthModule,
        CohortsModule,
        CatalogModule.forRoot(),
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
