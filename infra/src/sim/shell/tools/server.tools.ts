import { parseImage, parseListenAddress, type AppHttpResponse } from '../../apps/app-model';
import { pathOnly, respond, statusText } from '../../apps/http-util';
import { pythonHttpServer } from '../../apps/python.app';
import { resolvePath } from '../shell-filesystem';
import type { ServerHandler, ServerSocket } from '../shell-host';
import { SIGINT_STATUS, type Tool, type ToolContext } from '../tool-context';

const BUSYBOX_404 =
  '<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n';

/** Opens a socket through the host; prints the server's own bind failure when the host cannot. */
function open(
  ctx: ToolContext,
  socket: ServerSocket,
  handler: ServerHandler,
  who: string,
): (() => void) | undefined {
  if (!ctx.host.listen) {
    ctx.stderr(`${who}: bind: Address not available\n`);
    return undefined;
  }
  return ctx.host.listen(socket, handler);
}

/** Blocks until the process is killed (SIGTERM/SIGKILL of the container, Ctrl-C of an exec). */
async function serveForever(ctx: ToolContext, close: () => void): Promise<number> {
  await ctx.clock.sleep(Number.POSITIVE_INFINITY, ctx.signal);
  close();
  return SIGINT_STATUS;
}

/**
 * busybox `httpd [-f] [-p [IP:]PORT] [-h HOME]`: serves files of the container (what the script
 * wrote, mounted ConfigMaps) with busybox's 404 page. Without `-f` it daemonizes: the shell goes on
 * and the server keeps listening until the container stops.
 */
export const httpdTool: Tool = async (ctx) => {
  let port = '80';
  let home = '.';
  let foreground = false;
  for (let i = 0; i < ctx.args.length; i++) {
    const a = ctx.args[i]!;
    if (a === '-f') foreground = true;
    else if (a === '-p') port = ctx.args[++i] ?? port;
    else if (a === '-h') home = ctx.args[++i] ?? home;
    else if (a === '-v' || a === '-vv') continue;
  }
  const listen = parseListenAddress(port, 80);
  const root = resolvePath(ctx.cwd, home).replace(/\/$/, '');
  const close = open(
    ctx,
    { address: listen.address, port: listen.port, protocol: 'TCP' },
    (req) => {
      let path = pathOnly(req.path);
      if (path.endsWith('/')) path += 'index.html';
      const file = ctx.fs.read(`${root}${path}`);
      const now = ctx.clock.date().getTime();
      const response =
        file !== undefined
          ? respond(200, file, now, { 'Content-type': 'text/html', 'Accept-Ranges': 'bytes' })
          : respond(404, BUSYBOX_404, now, { 'Content-type': 'text/html' });
      return { response, log: [] };
    },
    'httpd',
  );
  if (!close) return 1;
  return foreground ? serveForever(ctx, close) : 0;
};

/** An HTTP response written by hand (`printf 'HTTP/1.1 200 OK\r\n\r\nhi' | nc -l -p 8080`). */
export function parseRawHttp(text: string, now: number): AppHttpResponse | undefined {
  const m = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?\r?\n/.exec(text);
  if (!m) return undefined;
  const [head, body = ''] = text.split(/\r?\n\r?\n/, 2);
  const headers: Record<string, string> = {};
  for (const line of head!.split(/\r?\n/).slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim()] = line.slice(c + 1).trim();
  }
  const status = Number(m[1]);
  return { ...respond(status, body, now, headers), statusText: m[2] ?? statusText(status) };
}

/**
 * busybox `nc -l [-k] -p PORT`: waits for one connection, prints what the client sent, answers
 * with its stdin, and exits 0 (with `-k` it keeps serving until killed).
 */
export async function ncListen(ctx: ToolContext, port: number, udp: boolean, keep: boolean): Promise<number> {
  const served = new AbortController();
  const reply = ctx.stdin;
  const close = open(
    ctx,
    { address: '0.0.0.0', port, protocol: udp ? 'UDP' : 'TCP' },
    (req) => {
      ctx.stdout(`${req.method} ${req.path} HTTP/1.1\r\nHost: ${req.headers['host'] ?? ''}\r\n`);
      for (const [k, v] of Object.entries(req.headers)) if (k !== 'host') ctx.stdout(`${k}: ${v}\r\n`);
      ctx.stdout('\r\n');
      if (!keep) served.abort();
      const response = parseRawHttp(reply, ctx.clock.date().getTime());
      return response ? { response, log: [] } : undefined;
    },
    'nc',
  );
  if (!close) return 1;
  if (keep) return serveForever(ctx, close);
  await ctx.clock.sleep(Number.POSITIVE_INFINITY, AbortSignal.any([served.signal, ctx.signal]));
  close();
  return served.signal.aborted ? 0 : SIGINT_STATUS;
}

/**
 * `python3 -m http.server [--bind ADDR] [-d DIR] [PORT]` (the images that ship Python); any other
 * use of the interpreter exits at once, as python3 does without a script on a closed stdin.
 */
export const pythonTool: Tool = async (ctx) => {
  const server = pythonHttpServer(ctx.args, {
    image: parseImage('python'),
    env: ctx.env,
    hostname: ctx.host.hostname,
    podIP: ctx.host.pod.ip ?? '',
    stdin: false,
    tty: false,
    now: () => ctx.clock.date().getTime(),
  });
  if (!server) return 0;
  for (const line of server.startupLogs) ctx.stdout(`${line}\n`);
  const closers: Array<() => void> = [];
  for (const l of server.listeners) {
    const close = open(
      ctx,
      l,
      (req) => {
        const answer = server.http(l.port, req);
        if (answer) for (const line of answer.log) ctx.stderr(`${line}\n`);
        return answer ? { response: answer.response, log: [] } : undefined;
      },
      'python3',
    );
    if (!close) return 1;
    closers.push(close);
  }
  return serveForever(ctx, () => closers.forEach((c) => c()));
};
