import { Global, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { openConfiguredDatabase } from './configured-database';
import { DatabaseService, databaseLog } from './database.service';

/**
 * Provides the {@link DatabaseService} to every module: PostgreSQL when DATABASE_URL is set, else
 * PGlite under `${dataDir}/pglite`; pending migrations are applied before the app starts, and the
 * database is closed on shutdown (enable Nest's shutdown hooks).
 */
@Global()
@Module({
  providers: [
    {
      provide: DatabaseService,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => openConfiguredDatabase(config, { log: databaseLog }),
    },
  ],
  exports: [DatabaseService],
})
export class DatabaseModule {
  /** The module around a database opened already (tests: e.g. an in-memory PGlite). */
  static withService(service: DatabaseService): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      providers: [{ provide: DatabaseService, useValue: service }],
      exports: [DatabaseService],
    };
  }
}
