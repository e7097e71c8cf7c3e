import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { testAppConfig } from '../auth/testing/auth-testing.module';
import { startServer, type StartOptions } from '../bootstrap';
import type { AppConfig } from '../config/app-config';
import { DatabaseService, pgliteDirOf } from '../database/database.service';

/** The whole platform listening on a free port, over a throwaway data dir and database. */
export interface TestApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  db: DatabaseService;
  http: () => ReturnType<typeof request>;
  close(): Promise<void>;
}

/**
 * Starts the real app (every module, the real guard, filter and validation) for HTTP tests. The
 * database is an in-memory PGlite unless `database` says otherwise (e.g. a PGlite dir on disk, to
 * test a restart); `keepDataDir` leaves the data dir for the next instance.
 */
export async function startTestApp(
  options: {
    config?: Partial<AppConfig>;
    database?: 'memory' | 'disk' | DatabaseService;
    start?: StartOptions;
  } = {},
): Promise<TestApp> {
  const dataDir = options.config?.dataDir ?? mkdtempSync(join(tmpdir(), 'netlab-app-'));
  // No warm pool unless a test asks for one: ten sim clusters per test app would only cost CPU.
  const config = testAppConfig({ port: 0, dataDir, pool: 'off', ...options.config });
  const db =
    options.database instanceof DatabaseService
      ? options.database
      : await DatabaseService.open({
          pgliteDir: options.database === 'disk' ? pgliteDirOf(dataDir) : 'memory://',
        });
  const server = await startServer(config, {
    logLevel: 'silent',
    drainMs: 1000,
    ...options.start,
    database: db,
  });
  return {
    app: server.app,
    url: server.url,
    config,
    db,
    http: () => request(server.url),
    close: async () => {
      await server.close();
      await db.close();
      if (!options.config?.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A browser-like client: keeps cookies and the CSRF token like the web app does. */
export class TestBrowser {
  private readonly jar = new Map<string, string>();
  csrfToken: string | undefined;

  /** `headers` go with every request, e.g. an X-Forwarded-For a reverse proxy would add. */
  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string> = {},
  ) {}

  get cookie(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  /** GET /api/auth/csrf and remember the token (and the pre-session cookie). */
  async fetchCsrf(): Promise<string> {
    const res = await this.get('/api/auth/csrf');
    this.csrfToken = (res.body as { token: string }).token;
    return this.csrfToken;
  }

  async get(path: string) {
    return this.keep(await request(this.url).get(path).set(this.headers).set('cookie', this.cookie));
  }

  async post(path: string, body?: object) {
    const req = request(this.url).post(path).set(this.headers).set('cookie', this.cookie);
    if (this.csrfToken) req.set('x-csrf-token', this.csrfToken);
    return this.keep(await (body ? req.send(body) : req));
  }

  async signIn(email: string, password: string) {
    await this.fetchCsrf();
    const res = await this.post('/api/auth/login', { email, password });
    if (res.status === 200) this.csrfToken = (res.body as { csrfToken: string }).csrfToken;
    return res;
  }

  async register(body: { email: string; password: string; displayName: string; invite?: string }) {
    await this.fetchCsrf();
    const res = await this.post('/api/auth/register', body);
    if (res.status === 200) this.csrfToken = (res.body as { csrfToken: string }).csrfToken;
    return res;
  }

  private keep<T extends { headers: Record<string, unknown> }>(res: T): T {
    const set = res.headers['set-cookie'];
    for (const line of (Array.isArray(set) ? set : []) as string[]) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return res;
  }
}
