import type { AppContext, AppHttpRequest, AppInstance, AppListener, AppModel } from './app-model';
import { pathOnly, respond } from './http-util';
import { startShellProcess } from './shell-process.app';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function pyLogTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}`;
}

const LISTING = `<!DOCTYPE HTML>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Directory listing for /</title>
</head>
<body>
<h1>Directory listing for /</h1>
<hr>
<ul>
<li><a href="bin/">bin@</a></li>
<li><a href="etc/">etc/</a></li>
<li><a href="home/">home/</a></li>
<li><a href="tmp/">tmp/</a></li>
<li><a href="usr/">usr/</a></li>
<li><a href="var/">var/</a></li>
</ul>
<hr>
</body>
</html>
`;

/** `python -m http.server [--bind ADDR] [-d DIR] [PORT]` (after the interpreter name). */
export function pythonHttpServer(
  args: string[],
  ctx: AppContext,
): { listeners: AppListener[]; startupLogs: string[]; http: NonNullable<AppInstance['http']> } | undefined {
  const unbuffered = args.includes('-u') || Boolean(ctx.env['PYTHONUNBUFFERED']);
  const m = args.indexOf('-m');
  if (m < 0 || args[m + 1] !== 'http.server') return undefined;
  const rest = args.slice(m + 2);
  let bind: string | undefined;
  let directory = '/';
  let port = 8000;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (a === '--bind' || a === '-b') bind = rest[++i];
    else if (a.startsWith('--bind=')) bind = a.slice(7);
    else if (a === '--directory' || a === '-d') directory = rest[++i] ?? '/';
    else if (a.startsWith('--directory=')) directory = a.slice(12);
    else if (/^\d+$/.test(a)) port = Number(a);
  }
  const address =
    bind === undefined || bind === '' || bind === '0.0.0.0'
      ? '0.0.0.0'
      : bind === 'localhost'
        ? '127.0.0.1'
        : bind;
  const shown = bind === undefined ? '::' : address;
  const listeners: AppListener[] =
    bind === undefined
      ? [
          { address: '0.0.0.0', port, protocol: 'TCP' },
          { address: '::', port, protocol: 'TCP' },
        ]
      : [{ address, port, protocol: 'TCP' }];
  // Python buffers stdout when it is not a terminal: without -u or PYTHONUNBUFFERED the
  // "Serving HTTP" line never reaches `kubectl logs`; the request log goes to stderr and does.
  const startupLogs = unbuffered
    ? [`Serving HTTP on ${shown} port ${port} (http://${shown === '::' ? '[::]' : shown}:${port}/) ...`]
    : [];
  return {
    listeners,
    startupLogs,
    http(p: number, req: AppHttpRequest) {
      if (p !== port) return undefined;
      const now = ctx.now();
      const path = pathOnly(req.path);
      const files = ctx.files ?? {};
      const base = directory.replace(/\/$/, '');
      const file =
        files[`${base}${path}`] ?? (path.endsWith('/') ? files[`${base}${path}index.html`] : undefined);
      // A directory without index.html gets its listing (the sim lists the image's root for `/`).
      const ok = file !== undefined || path === '/' || path === '/index.html';
      const server = 'SimpleHTTP/0.6 Python/3.12.7';
      const response =
        file !== undefined
          ? respond(200, file, now, {
              Server: server,
              'Content-type': path.endsWith('.json')
                ? 'application/json'
                : path.endsWith('/') || path.endsWith('.html')
                  ? 'text/html'
                  : 'text/plain',
            })
          : ok
            ? respond(200, LISTING, now, {
                Server: server,
                'Content-type': 'text/html; charset=utf-8',
              })
            : respond(
                404,
                `<!DOCTYPE HTML>\n<html lang="en">\n    <head>\n        <meta charset="utf-8">\n        <title>Error response</title>\n    </head>\n    <body>\n        <h1>Error response</h1>\n        <p>Error code: 404</p>\n        <p>Message: File not found.</p>\n        <p>Error code explanation: 404 - Nothing matches the given URI.</p>\n    </body>\n</html>\n`,
                now,
                {
                  Server: 'SimpleHTTP/0.6 Python/3.12.7',
                  'Content-Type': 'text/html;charset=utf-8',
                  Connection: 'close',
                },
              );
      const client = req.client.ip.includes(':') ? req.client.ip : req.client.ip;
      const log = `${client} - - [${pyLogTime(now)}] ${ok ? '' : `code 404, message File not found\n${client} - - [${pyLogTime(now)}] `}"${req.method} ${req.path} HTTP/1.1" ${response.status} -`;
      return { response, log: log.split('\n') };
    },
  };
}

/** python:3: `python3` by default (a REPL that exits without stdin); `-m http.server` serves files. */
export const pythonApp: AppModel = {
  name: 'python',
  matches: (i) => i.repository === 'library/python',
  entrypoint: [],
  cmd: ['python3'],
  start(argv, ctx) {
    const [exe = '', ...args] = argv;
    if (/^(\/usr\/(local\/)?bin\/)?python3?(\.\d+)?$/.test(exe)) {
      const server = pythonHttpServer(args, ctx);
      if (server) {
        return {
          listeners: server.listeners,
          processes: [{ user: 'root', command: argv.join(' ') }],
          startupLogs: server.startupLogs,
          handlesSigterm: false,
          http: server.http,
        };
      }
      if (args.length === 0 && ctx.stdin) {
        return {
          listeners: [],
          processes: [{ user: 'root', command: argv.join(' ') }],
          startupLogs: [],
          handlesSigterm: false,
        };
      }
      return {
        listeners: [],
        processes: [{ user: 'root', command: argv.join(' ') }],
        startupLogs: [],
        exit: { afterMs: 50, code: 0 },
        handlesSigterm: false,
      };
    }
    return startShellProcess(argv, ctx);
  },
};
