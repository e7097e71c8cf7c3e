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

  it('should speak TLS on a listen ... ssl port with the mounted certificate and answer plain HTTP there with a 400', () => {
    const conf = `server {
      listen 443 ssl;
      ssl_certificate /etc/nginx/tls/tls.crt;
      ssl_certificate_key /etc/nginx/tls/tls.key;
      location / { return 200 "secure\\n"; }
    }`;
    const files = {
      '/etc/nginx/conf.d/tls.conf': conf,
      '/etc/nginx/tls/tls.crt': 'PEM',
      '/etc/nginx/tls/tls.key': 'KEY',
    };

    const app = startApp({ image: 'nginx:1.27' }, { ...ctx, files }).instance;

    expect(app.listeners).toEqual([
      { address: '0.0.0.0', port: 443, protocol: 'TCP', tls: { chainPem: 'PEM', plainHttp: 'app' } },
    ]);
    expect(app.http!(443, { ...req('/'), tls: true })!.response).toMatchObject({
      status: 200,
      body: 'secure\n',
    });
    const plain = app.http!(443, req('/'))!.response;
    expect(plain.status).toBe(400);
    expect(plain.body).toContain('<center>The plain HTTP request was sent to HTTPS port</center>');
  });

  it('should refuse to start with its emerg line when the certificate file is not mounted', () => {
    const conf =
      'server { listen 443 ssl; ssl_certificate /etc/nginx/tls/tls.crt; ssl_certificate_key /etc/nginx/tls/tls.key; }';

    const app = startApp(
      { image: 'nginx' },
      { ...ctx, files: { '/etc/nginx/conf.d/tls.conf': conf } },
    ).instance;

    expect(app.exit).toEqual({ afterMs: 0, code: 1 });
    expect(app.listeners).toEqual([]);
    expect(app.startupLogs.at(-1)).toBe(
      'nginx: [emerg] cannot load certificate "/etc/nginx/tls/tls.crt": BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory:calling fopen(/etc/nginx/tls/tls.crt, r) error:10000080:BIO routines::no such file)',
    );
  });
});
