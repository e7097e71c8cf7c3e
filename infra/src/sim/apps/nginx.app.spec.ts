import { describe, expect, it } from 'vitest';
import { startApp } from './app-registry';
import { nginxApp } from './nginx.app';

const ctx = {
  env: {},
  hostname: 'p',
  podIP: '10.244.1.5',
  stdin: false,
  tty: false,
  now: () => Date.parse('2026-01-01T00:00:00Z'),
};
const req = (path: string) => ({
  method: 'GET',
  path,
  headers: {},
  client: { ip: '10.244.2.9', port: 40000 },
  local: { ip: '10.244.1.5', port: 0 },
});

describe(nginxApp.name, () => {
  it('should listen where a mounted conf.d says and answer its return directives', () => {
    const conf = `server {
      listen 8080;
      listen [::]:8080;
      location = /healthz { return 200 "ok\\n"; }
      location /api/ { return 503; }
      location / { root /usr/share/nginx/html; }
    }`;
    const app = startApp(
      { image: 'nginx:1.27' },
      { ...ctx, files: { '/etc/nginx/conf.d/default.conf': conf } },
    ).instance;
    expect(app.listeners.map((l) => `${l.address}:${l.port}`)).toEqual(['0.0.0.0:8080', ':::8080']);
    expect(app.http!(80, req('/'))).toBeUndefined();
    expect(app.http!(8080, req('/healthz'))!.response).toMatchObject({ status: 200, body: 'ok\n' });
    expect(app.http!(8080, req('/api/users'))!.response.status).toBe(503);
    expect(app.http!(8080, req('/'))!.response.body).toContain('Welcome to nginx!');
  });

  it('should serve a mounted index.html instead of the welcome page', () => {
    const app = startApp(
      { image: 'nginx' },
      { ...ctx, files: { '/usr/share/nginx/html/index.html': '<h1>shop</h1>\n' } },
    ).instance;
    expect(app.listeners.map((l) => l.port)).toEqual([80, 80]);
    expect(app.http!(80, req('/'))!.response).toMatchObject({ status: 200, body: '<h1>shop</h1>\n' });
    expect(app.http!(80, req('/missing'))!.response.status).toBe(404);
  });

  it('should bind only loopback when the config says listen 127.0.0.1', () => {
    const conf = 'server { listen 127.0.0.1:8080; location / { return 200 "hi"; } }';
    const app = startApp(
      { image: 'nginx' },
      { ...ctx, files: { '/etc/nginx/conf.d/app.conf': conf } },
    ).instance;
    expect(app.listeners).toEqual([{ address: '127.0.0.1', port: 8080, protocol: 'TCP' }]);
  });
});
