import type { AppModel } from './app-model';
import { clfTime, goLogTime, pathOnly, respond, statusText } from './http-util';
import { defaultNginxServers, hasCustomNginxConfig, matchLocation, parseNginxServers } from './nginx-config';

const VERSION = '1.27.3';

/** The default welcome page of the official image (615 bytes). */
export const NGINX_WELCOME = `<!DOCTYPE html>
<html>
<head>
<title>Welcome to nginx!</title>
<style>
html { color-scheme: light dark; }
body { width: 35em; margin: 0 auto;
font-family: Tahoma, Verdana, Arial, sans-serif; }
</style>
</head>
<body>
<h1>Welcome to nginx!</h1>
<p>If you see this page, the nginx web server is successfully installed and
working. Further configuration is required.</p>

<p>For online documentation and support please refer to
<a href="http://nginx.org/">nginx.org</a>.<br/>
Commercial support is available at
<a href="http://nginx.com/">nginx.com</a>.</p>

<p><em>Thank you for using nginx.</em></p>
</body>
</html>
`;

/** The page nginx answers a plain HTTP request on a `listen ... ssl` port with (status 400). */
const PLAIN_HTTP_TO_HTTPS = `<html>\r\n<head><title>400 The plain HTTP request was sent to HTTPS port</title></head>\r\n<body>\r\n<center><h1>400 Bad Request</h1></center>\r\n<center>The plain HTTP request was sent to HTTPS port</center>\r\n<hr><center>nginx/${VERSION}</center>\r\n</body>\r\n</html>\r\n`;

function errorPage(status: number, text: string): string {
  return `<html>\r\n<head><title>${status} ${text}</title></head>\r\n<body>\r\n<center><h1>${status} ${text}</h1></center>\r\n<hr><center>nginx/${VERSION}</center>\r\n</body>\r\n</html>\r\n`;
}

/** nginx (official image): 0.0.0.0:80 and [::]:80, the welcome page, access log lines on stdout. */
export const nginxApp: AppModel = {
  name: 'nginx',
  matches: (i) => i.repository === 'library/nginx' || i.repository === 'nginxinc/nginx-unprivileged',
  entrypoint: ['/docker-entrypoint.sh'],
  cmd: ['nginx', '-g', 'daemon off;'],
  start(argv, ctx) {
    void argv;
    const files = ctx.files ?? {};
    const custom = hasCustomNginxConfig(files);
    const servers = custom
      ? parseNginxServers(files)
      : defaultNginxServers(ctx.image.repository === 'nginxinc/nginx-unprivileged' ? 8080 : 80);
    const t = goLogTime(ctx.now());
    const startupLogs = [
      '/docker-entrypoint.sh: /docker-entrypoint.d/ is not empty, will attempt to perform configuration',
      '/docker-entrypoint.sh: Looking for shell scripts in /docker-entrypoint.d/',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/10-listen-on-ipv6-by-default.sh',
      '10-listen-on-ipv6-by-default.sh: info: Getting the checksum of /etc/nginx/conf.d/default.conf',
      '10-listen-on-ipv6-by-default.sh: info: Enabled listen on IPv6 in /etc/nginx/conf.d/default.conf',
      '/docker-entrypoint.sh: Sourcing /docker-entrypoint.d/15-local-resolvers.envsh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/20-envsubst-on-templates.sh',
      '/docker-entrypoint.sh: Launching /docker-entrypoint.d/30-tune-worker-processes.sh',
      '/docker-entrypoint.sh: Configuration complete; ready for start up',
      `${t} [notice] 1#1: using the "epoll" event method`,
      `${t} [notice] 1#1: nginx/${VERSION}`,
      `${t} [notice] 1#1: built by gcc 12.2.0 (Debian 12.2.0-14) `,
      `${t} [notice] 1#1: OS: Linux 6.1.0-27-amd64`,
      `${t} [notice] 1#1: getrlimit(RLIMIT_NOFILE): 1048576:1048576`,
      `${t} [notice] 1#1: start worker processes`,
      `${t} [notice] 1#1: start worker process 29`,
      `${t} [notice] 1#1: start worker process 30`,
    ];
    // A TLS server block needs its certificate file: without it nginx refuses to start.
    const missing = servers.find(
      (srv) =>
        srv.sslPorts.length > 0 && srv.certificate !== undefined && files[srv.certificate] === undefined,
    );
    for (const srv of servers) {
      for (const l of srv.listeners) {
        if (srv.sslPorts.includes(l.port))
          l.tls = { chainPem: (srv.certificate && files[srv.certificate]) || '', plainHttp: 'app' };
      }
    }
    if (custom)
      startupLogs[4] =
        '10-listen-on-ipv6-by-default.sh: info: can not modify /etc/nginx/conf.d/default.conf (read-only file system?)';
    if (missing) {
      const path = missing.certificate!;
      const emerg = `cannot load certificate "${path}": BIO_new_file() failed (SSL: error:80000002:system library::No such file or directory:calling fopen(${path}, r) error:10000080:BIO routines::no such file)`;
      return {
        listeners: [],
        processes: [{ user: 'root', command: 'nginx: master process nginx -g daemon off;' }],
        startupLogs: [...startupLogs.slice(0, 9), `${t} [emerg] 1#1: ${emerg}`, `nginx: [emerg] ${emerg}`],
        exit: { afterMs: 0, code: 1 },
        handlesSigterm: true,
      };
    }
    return {
      listeners: servers.flatMap((s) => s.listeners),
      processes: [
        { user: 'root', command: 'nginx: master process nginx -g daemon off;' },
        { user: 'nginx', command: 'nginx: worker process' },
        { user: 'nginx', command: 'nginx: worker process' },
      ],
      startupLogs,
      handlesSigterm: true,
      http(p, req) {
        const server = servers.find((s) => s.listeners.some((l) => l.port === p && l.protocol === 'TCP'));
        if (!server) return undefined;
        const now = ctx.now();
        const path = pathOnly(req.path);
        const headers = { Server: `nginx/${VERSION}`, 'Content-Type': 'text/html', Connection: 'keep-alive' };
        let response;
        const location = matchLocation(server, path);
        const plainToTls = !req.tls && server.sslPorts.includes(p);
        const file =
          files[`${server.root.replace(/\/$/, '')}${path.endsWith('/') ? `${path}index.html` : path}`];
        if (plainToTls) {
          response = respond(400, PLAIN_HTTP_TO_HTTPS, now, { ...headers, Connection: 'close' });
        } else if (location?.returns) {
          const { status, text } = location.returns;
          response =
            text !== undefined && (status < 300 || status > 399)
              ? respond(status, text, now, { ...headers, 'Content-Type': 'application/octet-stream' })
              : respond(status, errorPage(status, statusText(status)), now, {
                  ...headers,
                  ...(text ? { Location: text } : {}),
                });
        } else if (file !== undefined && (req.method === 'GET' || req.method === 'HEAD')) {
          response = respond(200, file, now, { ...headers, 'Accept-Ranges': 'bytes' });
        } else if (req.method !== 'GET' && req.method !== 'HEAD') {
          response = respond(405, errorPage(405, 'Not Allowed'), now, headers);
        } else if (
          (path === '/' || path === '/index.html') &&
          server.root === '/usr/share/nginx/html' &&
          !Object.keys(files).some((f) => f.startsWith('/usr/share/nginx/html/'))
        ) {
          response = respond(200, NGINX_WELCOME, now, {
            ...headers,
            'Last-Modified': 'Tue, 26 Nov 2024 15:55:00 GMT',
            ETag: '"6745ef54-267"',
            'Accept-Ranges': 'bytes',
          });
        } else if (path === '/50x.html') {
          response = respond(200, errorPage(500, 'Internal Server Error'), now, headers);
        } else {
          response = respond(404, errorPage(404, 'Not Found'), now, headers);
        }
        const line = `${req.client.ip} - - [${clfTime(now)}] "${req.method} ${req.path} HTTP/1.1" ${response.status} ${Buffer.byteLength(response.body)} "-" "${req.headers['user-agent'] ?? '-'}" "-"`;
        return { response, log: [line] };
      },
    };
  },
};
