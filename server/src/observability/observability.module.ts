import { Injectable, Module, type DynamicModule, type OnApplicationShutdown } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import pino from 'pino';
import { collectDefaultMetrics, register } from 'prom-client';
import { HealthController } from './health.controller';
import { MetricsController } from './metrics.controller';
import { requestIdOf } from './request-id';

/** Options of {@link ObservabilityModule.forRoot}. */
export interface ObservabilityOptions {
  /** pino level: fatal, error, warn, info (default), debug, trace, silent. */
  logLevel?: string;
}

/**
 * Structured JSON logs (pino) with a request id per request (`x-request-id` in and out), `/healthz`,
 * `/readyz` and `/metrics` (Prometheus, prom-client's default registry).
 */
@Module({})
export class ObservabilityModule {
  static forRoot(options: ObservabilityOptions = {}): DynamicModule {
    if (!register.getSingleMetric('process_cpu_user_seconds_total')) collectDefaultMetrics();
    // Buffered, asynchronous writes: a synchronous write per request line cost ~0.7 ms of CPU.
    const destination = pino.destination({ dest: 1, sync: false, minLength: 4096 });
    return {
      module: ObservabilityModule,
      imports: [
        LoggerModule.forRoot({
          pinoHttp: [
            {
              level: options.logLevel ?? 'info',
              genReqId: requestIdOf,
              autoLogging: { ignore: (req) => /^\/(healthz|readyz|metrics)\b/.test(req.url ?? '') },
              // Lean lines: who asked what and the answer; headers stay out (and with them cookies).
              serializers: {
                req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
                  id: req.id,
                  method: req.method,
                  url: req.url,
                  remoteAddress: req.remoteAddress,
                }),
                res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
              },
              customProps: (req) => {
                const user = (req as { auth?: { user?: { id: string } | null } }).auth?.user;
                return user ? { userId: user.id } : {};
              },
            },
            destination,
          ],
        }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [{ provide: LogFlusher, useFactory: () => new LogFlusher(destination) }],
    };
  }
}

/** Writes out buffered log lines when the app closes. */
@Injectable()
class LogFlusher implements OnApplicationShutdown {
  constructor(private readonly destination: ReturnType<typeof pino.destination>) {}
  onApplicationShutdown(): void {
    try {
      this.destination.flushSync();
    } catch {
      // not open yet or already closed: nothing buffered
    }
  }
}
