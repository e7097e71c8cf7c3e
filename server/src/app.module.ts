import { Module, type DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AttemptProgress } from './attempts/attempt-progress';
import { AttemptsModule, type AttemptsModuleOptions } from './attempts/attempts.module';
import { AuthModule } from './auth/auth.module';
import { CatalogModule } from './catalog/catalog.module';
import { LEARNER_PROGRESS } from './catalog/learner-progress';
import { ClustersModule } from './clusters/clusters.module';
import { CohortsModule } from './cohorts/cohorts.module';
import { ErrorFilter } from './common/error.filter';
import type { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import type { DatabaseService } from './database/database.service';
import { ObservabilityModule } from './observability/observability.module';
import { TerminalModule } from './terminal/terminal.module';

/** Options of {@link AppModule.forRoot}. */
export interface AppModuleOptions {
  /** A database opened already (tests); otherwise the DatabaseModule opens the configured one. */
  database?: DatabaseService;
  /** Overrides config.logLevel (NETLAB_LOG_LEVEL), e.g. `silent` in tests. */
  logLevel?: string;
  /** Timing of the attempts' queue and expiry (tests, benchmarks). */
  attempts?: AttemptsModuleOptions;
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
        ObservabilityModule.forRoot({ logLevel: options.logLevel ?? config.logLevel }),
        ClustersModule,
        AuthModule,
        CohortsModule,
        CatalogModule.forRoot({
          learnerProgress: { provide: LEARNER_PROGRESS, useExisting: AttemptProgress },
        }),
        AttemptsModule.forRoot(options.attempts),
        TerminalModule.register(),
      ],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
