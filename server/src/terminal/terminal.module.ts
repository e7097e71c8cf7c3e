import {
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type ModuleMetadata,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { COHORT_ACCESS, SESSION_RESOLVER, type CohortAccess, type SessionResolver } from '../auth/auth.types';
import { KubeExecConnector } from './kube-exec.connector';
import { SHELL_CONNECTOR, type ShellConnector } from './shell-connector';
import { TerminalAccess } from './terminal-access';
import { TerminalGateway } from './terminal.gateway';
import { DEFAULT_TERMINAL_LIMITS } from './terminal-limits';
import { TerminalRegistry } from './terminal.registry';
import { TERMINAL_TARGET_RESOLVER, type TerminalTargetResolver } from './terminal-target';

/** Until a cohorts module provides COHORT_ACCESS, nobody but the owner attaches. */
const OWNER_ONLY: CohortAccess = { canSupervise: async () => false };

/** Attaches the gateway to Nest's HTTP server once it exists, and ends every shell on shutdown. */
@Injectable()
export class TerminalLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private server: Server | undefined;

  constructor(
    @Inject(HttpAdapterHost) private readonly adapter: HttpAdapterHost,
    @Inject(TerminalGateway) private readonly gateway: TerminalGateway,
  ) {}

  onApplicationBootstrap(): void {
    this.server = this.adapter.httpAdapter?.getHttpServer() as Server | undefined;
    if (this.server) this.gateway.listen(this.server);
  }

  onApplicationShutdown(): void {
    this.gateway.close(this.server);
  }
}

/**
 * The browser terminal: WebSocket ⇄ exec into the attempt's toolbox. Needs SESSION_RESOLVER and
 * APP_CONFIG (global), TERMINAL_TARGET_RESOLVER (the attempts module: pass it in `imports` unless
 * it is global) and optionally COHORT_ACCESS (read-only supervision by instructors).
 */
@Module({})
export class TerminalModule {
  static register(
    options: { imports?: ModuleMetadata['imports']; connector?: ShellConnector } = {},
  ): DynamicModule {
    return {
      module: TerminalModule,
      imports: options.imports ?? [],
      providers: [
        { provide: SHELL_CONNECTOR, useValue: options.connector ?? new KubeExecConnector() },
        {
          provide: TerminalRegistry,
          inject: [SHELL_CONNECTOR, TERMINAL_TARGET_RESOLVER],
          useFactory: (connector: ShellConnector, targets: TerminalTargetResolver) =>
            new TerminalRegistry(connector, targets, DEFAULT_TERMINAL_LIMITS),
        },
        {
          provide: TerminalAccess,
          inject: [
            SESSION_RESOLVER,
            TERMINAL_TARGET_RESOLVER,
            TerminalRegistry,
            APP_CONFIG,
            { token: COHORT_ACCESS, optional: true },
          ],
          useFactory: (
            sessions: SessionResolver,
            targets: TerminalTargetResolver,
            registry: TerminalRegistry,
            config: AppConfig,
            cohorts: CohortAccess | undefined,
          ) => {
            if (!cohorts)
              new Logger('TerminalModule').warn('no COHORT_ACCESS: instructors cannot watch terminals');
            return new TerminalAccess(sessions, cohorts ?? OWNER_ONLY, targets, registry, config.publicUrl);
          },
        },
        {
          provide: TerminalGateway,
          inject: [TerminalAccess, TerminalRegistry],
          useFactory: (access: TerminalAccess, registry: TerminalRegistry) =>
            new TerminalGateway(access, registry),
        },
        TerminalLifecycle,
      ],
      exports: [TerminalRegistry],
    };
  }
}
