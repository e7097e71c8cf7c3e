import { Global, Logger, Module, type DynamicModule } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from './app-config';
import { loadConfig } from './config.loader';

/**
 * Provides the {@link AppConfig} as `APP_CONFIG` to every module. `forRoot()` parses the process
 * environment (a bad value throws a ConfigError listing every problem); `forRoot(config)` uses a
 * config already loaded (main.ts, to print problems before Nest starts; tests).
 */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      global: true,
      providers: [
        {
          provide: APP_CONFIG,
          useFactory: (): AppConfig =>
            config ?? loadConfig(process.env, { warn: (m) => new Logger('Config').warn(m) }),
        },
      ],
      exports: [APP_CONFIG],
    };
  }
}
