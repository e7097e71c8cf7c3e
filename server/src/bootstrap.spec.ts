import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from './bootstrap';
import { startTestApp, TestBrowser, type TestApp } from './testing/test-app';
import { createTestUser, TEST_PASSWORD } from './testing/users';

/** Express routes the app answers (method + path), from the router itself. */
function expressRoutes(sut: TestApp): { method: string; path: string }[] {
  const router = (sut.app.getHttpAdapter().getInstance() as { router: { stack: unknown[] } }).router;
  return router.stack.flatMap((layer) => {
    const route = (layer as { route?: { path: string; methods: Record<string, boolean> } }).route;
    return route ? Object.keys(route.methods).map((method) => ({ method, path: route.path })) : [];
  });
}

describe(startServer.name, () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'netlab-restart-'));
  const webDist = mkdtempSync(join(tmpdir(), 'netlab-webdist-'));
  let first: TestApp;
  let second: TestApp | undefined;
  const browser = { cookie: '', csrf: '' };

  beforeAll(async () => {
    writeFileSync(
      join(webDist, 'index.html'),
      '<!doctype html><title>netlab web</title><div id="root"></div>',
    );
    mkdirSync(join(webDist, 'assets'));
    writeFileSync(join(webDist, 'assets', 'app-abc123.js'), 'console.log("hi")');
    first = await startTestApp({ config: { dataDir }, database: 'disk', start: { webDistDir: webDist } });
  }, 120_000);
  afterAll(async () => {
    await second?.close();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(webDist, { recursive: true, force: true });
  });

  it("should echo the caller's x-request-id and make one up when none is sent", async () => {
    const given = await first.http().get('/healthz').set('x-request-id', 'req-42');
    expect(given.headers['x-request-id']).toBe('req-42');
    const made = await first.http().get('/healthz');
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('should answer readiness when the database and the provider answer', async () => {
    const res = await first.http().get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'ok', provider: 'ok' } });
  });

  it('should put every route of the app into the OpenAPI document', async () => {
    const doc = (await first.http().get('/api/docs-json')).body as { paths: Record<string, object> };
    const missing = expressRoutes(first)
      .filter((r) => r.path.startsWith('/api/') && !r.path.startsWith('/api/docs'))
      .filter((r) => !doc.paths[r.path.replace(/:(\w+)/g, '{$1}')]?.[r.method as keyof object])
      .map((r) => `${r.method.toUpperCase()} ${r.path}`);
    expect(missing).toEqual([]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/labs/{slug}']));
    const login = doc.paths['/api/auth/login'] as {
      post: { requestBody: { content: Record<string, { schema: { required: string[] } }> } };
    };
    expect(login.post.requestBody.content['application/json']!.schema.required).toEqual([
      'email',
      'password',
    ]);
    const ui = await first.http().get('/api/docs');
    expect(ui.text).toContain('swagger-ui');
  });

  it('should record request latency by route template in /metrics', async () => {
    await first.http().get('/api/labs/some-lab');
    const text = (await first.http().get('/metrics')).text;
    expect(text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/api\/labs\/:slug",status="401"\} \d+/,
    );
    expect(text).not.toMatch(/route="\/api\/labs\/some-lab"/);
    expect(text).toContain('process_cpu_user_seconds_total');
  });

  it('should serve the built web app with index.html for client-side routes', async () => {
    const page = await first.http().get('/labs/example-hello').set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<title>netlab web</title>');
    const asset = await first.http().get('/assets/app-abc123.js');
    expect(asset.headers['cache-control']).toContain('immutable');
    const escape = await first.http().get('/%2e%2e/%2e%2e/%2e%2e/etc/passwd').set('accept', 'text/html');
    expect(escape.text).not.toContain('root:');
    expect(escape.text).toContain('<title>netlab web</title>');
    const api = await first.http().get('/api/nothing-here');
    expect(api.status).toBe(404);
    expect(api.body.code).toBe('NOT_FOUND');
  });

  it('should keep users and sessions when the server restarts on the same data dir', async () => {
    await createTestUser(first.app, 'learner', 'stays@example.com');
    const signIn = new TestBrowser(first.url);
    expect((await signIn.signIn('stays@example.com', TEST_PASSWORD)).status).toBe(200);
    browser.cookie = signIn.cookie;
    browser.csrf = signIn.csrfToken!;
    await first.close();
    await expect(request(first.url).get('/healthz')).rejects.toThrow();

    second = await startTestApp({
      config: { dataDir },
      database: 'disk',
      start: { webDistDir: join(webDist, 'none') },
    });
    const me = await second.http().get('/api/auth/me').set('cookie', browser.cookie);
    expect(me.status).toBe(200);
    expect(me.body.user.email).toBe('stays@example.com');
    const logout = await second
      .http()
      .post('/api/auth/logout')
      .set('cookie', browser.cookie)
      .set('x-csrf-token', browser.csrf);
    expect(logout.status).toBe(204);
  }, 120_000);

  it('should say the UI is not built when web/dist is missing', async () => {
    const page = await second!.http().get('/').set('accept', 'text/html');
    expect(page.status).toBe(200);
    expect(page.text).toContain('the web UI is not built');
  });
});
