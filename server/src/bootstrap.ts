import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule, type AppModuleOptions } from './app.module';
import { setupOpenApi } from './common/openapi';
import type { AppConfig } from './config/app-config';
import { DatabaseService } from './database/database.service';
import { httpMetricsMiddleware } from './observability/http-metrics';
import { serveWebApp } from './web-app/web-app';

/** Options of {@link createApp} and {@link startServer}. */
export interface StartOptions extends AppModuleOptions {
  /** The web app's build folder (default web/dist). */
  webDistDir?: string;
  /** How long shutdown waits for in-flight requests before cutting connections (default 5 s). */
  drainMs?: number;
  /**
   * How long the modules' shutdown hooks may take after the drain (default 15 s). Past it the
   * database is closed anyway (nothing committed is lost) and `close()` rejects with a
   * {@link ShutdownTimeoutError}: a hook that never settles must not keep the process alive forever.
   */
  hooksMs?: number;
}

/** `RunningServer.close()` gave up waiting for the modules' shutdown hooks. */
export class ShutdownTimeoutError extends Error {
  constructor(readonly hooksMs: number) {
    super(
      `shutdown: the modules' shutdown hooks did not finish within ${hooksMs / 1000} s; the database was closed, the rest is abandoned`,
    );
    this.name = 'ShutdownTimeoutError';
  }
}

/** A listening server. */
export interface RunningServer {
  app: NestExpressApplication;
  /** Where it listens, e.g. http://127.0.0.1:8080 (the real port when config.port is 0). */
  url: string;
  /** Stops accepting, drains in-flight requests, then closes every module (the database last). */
  close(): Promise<void>;
}

/** The platform as a Nest app, initialised but not listening. */
export async function createApp(
  config: AppConfig,
  options: StartOptions = {},
): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, options), {
    bufferLogs: true,
    bodyParser: false,
  });
  app.useLogger(app.get(Logger));
  app.disable('x-powered-by');
  // Which X-Forwarded-For hops to believe for req.ip (the per-address sign-in throttle, session
  // records): none unless NETLAB_TRUST_PROXY names the reverse proxies in front.
  app.set('trust proxy', config.trustProxy);
  app.use(httpMetricsMiddleware());
  app.useBodyParser('json', { limit: '1mb' });
  serveWebApp(app, options.webDistDir);
  setupOpenApi(app);
  await app.init();
  return app;
}

/** Creates the app and listens on config.host:config.port (port 0: a free one). */
export async function startServer(config: AppConfig, options: StartOptions = {}): Promise<RunningServer> {
  const app = await createApp(config, options);
  await app.listen(config.port, config.host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const close = () => shutdown(app, options.drainMs ?? 5000, options.hooksMs ?? 15_000);
  return { app, url: `http://${host}:${port}`, close };
}

async function shutdown(app: NestExpressApplication, drainMs: number, hooksMs: number): Promise<void> {
  const server = app.getHttpServer();
  const drained = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => server.closeAllConnections(), drainMs);
  await drained;
  clearTimeout(cut);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<true>((resolve) => (timer = setTimeout(() => resolve(true), hooksMs)));
  const closed = app.close().then(() => false as const);
  try {
    if (!(await Promise.race([closed, timedOut]))) return;
  } finally {
    clearTimeout(timer);
  }
  // Hooks run module by module, so the database's may be queued behind the one that hangs.
  await app.get(DatabaseService).close();
  throw new ShutdownTimeoutError(hooksMs);
}
