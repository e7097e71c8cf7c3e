import type { AppInstance, AppModel } from './app-model';
import { flagValue } from './app-model';
import { agnhostApp } from './agnhost.app';
import { pathOnly, queryParam, respond } from './http-util';
import { startShellProcess } from './shell-process.app';

/** Models the catalog names directly (their `matches` is never used: the catalog picks them). */
const never = () => false;

/** traefik/whoami: on :80 (or `--port`, WHOAMI_PORT_NUMBER) prints who it is and what it got. */
export const whoamiApp: AppModel = {
  name: 'whoami',
  matches: never,
  entrypoint: ['/whoami'],
  cmd: [],
  start(argv, ctx): AppInstance {
    const port = Number(flagValue(argv.slice(1), '--port', '-port') ?? ctx.env['WHOAMI_PORT_NUMBER'] ?? '80');
    return {
      listeners: [{ address: '::', port, protocol: 'TCP' }],
      processes: [{ user: 'root', command: argv.join(' ') }],
      startupLogs: [
        `${new Date(ctx.now()).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, '/')} Starting up on port ${port}`,
      ],
      handlesSigterm: true,
      http(p, req) {
        if (p !== port) return undefined;
        const headers = Object.entries(req.headers).map(
          ([k, v]) =>
            `${k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase())}: ${v}`,
        );
        const body = [
          `Hostname: ${ctx.hostname}`,
          'IP: 127.0.0.1',
          'IP: ::1',
          `IP: ${ctx.podIP}`,
          `RemoteAddr: ${req.client.ip}:${req.client.port}`,
          `${req.method} ${req.path} HTTP/1.1`,
          ...headers,
          '',
          '',
        ].join('\r\n');
        return {
          response: respond(200, body, ctx.now(), { 'Content-Type': 'text/plain; charset=utf-8' }),
          log: [],
        };
      },
    };
  },
};

/** kennethreitz/httpbin on :80: /get, /headers, /ip, /anything, /status/<code>. */
export const httpbinApp: AppModel = {
  name: 'httpbin',
  matches: never,
  entrypoint: [],
  cmd: ['gunicorn', '-b', '0.0.0.0:80', 'httpbin:app', '-k', 'gevent'],
  start(argv, ctx): AppInstance {
    const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;
    return {
      listeners: [{ address: '0.0.0.0', port: 80, protocol: 'TCP' }],
      processes: [{ user: 'root', command: argv.join(' ') }],
      startupLogs: [
        '[INFO] Starting gunicorn 19.9.0',
        '[INFO] Listening at: http://0.0.0.0:80 (1)',
        '[INFO] Using worker: gevent',
      ],
      handlesSigterm: true,
      http(port, req) {
        if (port !== 80) return undefined;
        const path = pathOnly(req.path);
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [
            k.replace(/(^|-)([a-z])/g, (_m, d: string, c: string) => d + c.toUpperCase()),
            v,
          ]),
        );
        const h = { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': '*' };
        const status = /^\/status\/(\d{3})$/.exec(path);
        let response;
        if (status)
          response = respond(Number(status[1]), '', ctx.now(), {
            'Content-Type': 'text/html; charset=utf-8',
          });
        else if (path === '/ip') response = respond(200, json({ origin: req.client.ip }), ctx.now(), h);
        else if (path === '/headers') response = respond(200, json({ headers }), ctx.now(), h);
        else if (path === '/get' || path.startsWith('/anything')) {
          const args = Object.fromEntries(new URLSearchParams(req.path.split('?')[1] ?? ''));
          response = respond(
            200,
            json({
              args,
              headers,
              origin: req.client.ip,
              url: `http://${req.headers['host'] ?? ''}${req.path}`,
              ...(path === '/get' ? {} : { method: req.method }),
            }),
            ctx.now(),
            h,
          );
        } else
          response = respond(
            404,
            '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>404 Not Found</title>\n<h1>Not Found</h1>\n<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>\n',
            ctx.now(),
            { 'Content-Type': 'text/html' },
          );
        void queryParam;
        return {
          response,
          log: [
            `${req.client.ip} [${new Date(ctx.now()).toISOString()}] "${req.method} ${req.path} HTTP/1.1" ${response.status}`,
          ],
        };
      },
    };
  },
};

/** What each database needs in its environment, and what its entrypoint says without it. */
const DATABASES: Record<string, { port: number[]; needs?: { any: string[]; log: string[] }; ready: string }> =
  {
    'redis-server': { port: [6379], ready: '1:M * Ready to accept connections tcp' },
    postgres: {
      port: [5432],
      needs: {
        any: ['POSTGRES_PASSWORD', 'POSTGRES_HOST_AUTH_METHOD'],
        log: [
          'Error: Database is uninitialized and superuser password is not specified.',
          '       You must specify POSTGRES_PASSWORD to a non-empty value for the',
          '       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
        ],
      },
      ready: 'LOG:  database system is ready to accept connections',
    },
    mysqld: {
      port: [3306, 33060],
      needs: {
        any: ['MYSQL_ROOT_PASSWORD', 'MYSQL_ALLOW_EMPTY_PASSWORD', 'MYSQL_RANDOM_ROOT_PASSWORD'],
        log: [
          '[ERROR] [Entrypoint]: Database is uninitialized and password option is not specified',
          '    You need to specify one of the following as an environment variable:',
          '    - MYSQL_ROOT_PASSWORD',
          '    - MYSQL_ALLOW_EMPTY_PASSWORD',
          '    - MYSQL_RANDOM_ROOT_PASSWORD',
        ],
      },
      ready:
        "[Server] /usr/sbin/mysqld: ready for connections. Version: '8.4.3'  socket: '/var/run/mysqld/mysqld.sock'  port: 3306  MySQL Community Server - GPL.",
    },
  };

/** redis, postgres, mysql: their entrypoint's checks, then a TCP listener (not HTTP). */
export const databaseApp: AppModel = {
  name: 'database',
  matches: never,
  entrypoint: ['docker-entrypoint.sh'],
  cmd: [],
  start(argv, ctx): AppInstance {
    const server = argv.find((a) => a in DATABASES) ?? '';
    const db = DATABASES[server];
    const processes = [
      {
        user: server === 'mysqld' ? 'mysql' : server === 'postgres' ? 'postgres' : 'redis',
        command: argv.join(' '),
      },
    ];
    if (!db) return startShellProcess(argv.slice(argv[0] === 'docker-entrypoint.sh' ? 1 : 0), ctx);
    if (db.needs && !db.needs.any.some((k) => ctx.env[k])) {
      return {
        listeners: [],
        processes,
        startupLogs: db.needs.log,
        exit: { afterMs: 200, code: 1 },
        handlesSigterm: true,
      };
    }
    return {
      // mysqld binds one dual-stack socket; redis and postgres bind IPv4 and IPv6 separately.
      listeners: db.port.flatMap((port) =>
        (server === 'mysqld' ? ['::'] : ['0.0.0.0', '::']).map((address) => ({
          address,
          port,
          protocol: 'TCP' as const,
        })),
      ),
      processes,
      startupLogs: [db.ready],
      handlesSigterm: true,
    };
  },
};

/** registry.k8s.io/serve_hostname: agnhost's serve-hostname, the older standalone image. */
export const serveHostnameApp: AppModel = {
  name: 'serve-hostname',
  matches: never,
  entrypoint: ['/serve_hostname'],
  cmd: [],
  start: (argv, ctx) => agnhostApp.start(['serve-hostname', ...argv.slice(1)], ctx),
};

/** node: the REPL exits at once on a closed stdin; anything else runs as a Debian shell command. */
export const nodeApp: AppModel = {
  name: 'node',
  matches: never,
  entrypoint: ['docker-entrypoint.sh'],
  cmd: ['node'],
  start(argv, ctx): AppInstance {
    const args = argv[0] === 'docker-entrypoint.sh' ? argv.slice(1) : argv;
    if (args[0] === 'node' && args.length === 1) {
      return {
        listeners: [],
        processes: [{ user: 'root', command: 'node' }],
        startupLogs: [],
        ...(ctx.stdin ? {} : { exit: { afterMs: 50, code: 0 } }),
        handlesSigterm: false,
      };
    }
    return startShellProcess(args, ctx);
  },
};

/** curlimages/curl: its entrypoint runs a command it is given, or passes the arguments to curl. */
export const curlApp: AppModel = {
  name: 'curl',
  matches: never,
  entrypoint: ['/entrypoint.sh'],
  cmd: ['curl'],
  start(argv, ctx): AppInstance {
    const args = argv[0] === '/entrypoint.sh' ? argv.slice(1) : argv;
    const first = args[0] ?? '';
    return startShellProcess(first.startsWith('-') || first === '' ? ['curl', ...args] : args, ctx);
  },
};
