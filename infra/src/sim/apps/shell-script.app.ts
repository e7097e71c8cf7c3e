import type { AppContext, AppHttpResponse, AppInstance, AppListener, AppModel, ImageRef } from './app-model';
import { parseListenAddress } from './app-model';
import { pathOnly, respond, statusText } from './http-util';
import { pythonHttpServer } from './python.app';
import { splitScript, type SimpleCommand } from './sh-words';

const SHELLS = new Set(['sh', '/bin/sh', 'ash', '/bin/ash', 'bash', '/bin/bash', 'zsh', '/bin/zsh']);

const BUSYBOX_404 =
  '<HTML><HEAD><TITLE>404 Not Found</TITLE></HEAD>\n<BODY><H1>404 Not Found</H1>\nThe requested URL was not found\n</BODY></HTML>\n';

/** What a script does when it runs as a container's main process. */
interface ScriptEffect {
  logs: string[];
  files: Record<string, string>;
  listeners: AppListener[];
  servers: ((
    port: number,
    req: Parameters<NonNullable<AppInstance['http']>>[1],
  ) => ReturnType<NonNullable<AppInstance['http']>>)[];
  /** Blocks forever (a server in the foreground, `sleep infinity`, a `while true` loop). */
  forever: boolean;
  interactive: boolean;
  elapsedMs: number;
  code: number;
  /** Lines a `while true` loop prints each iteration, and how long an iteration sleeps. */
  loopLines: string[];
  loopSleepMs: number;
  /** The foreground server exits after its first connection (`nc -l` without `-k`). */
  oneShot: boolean;
  processes: string[];
}

/** `echo` as busybox prints it: `-n` drops the newline, `-e` interprets escapes. */
function echoText(args: string[]): string {
  let interpret = false;
  let newline = true;
  while (args[0] && /^-[neE]+$/.test(args[0])) {
    if (args[0].includes('e')) interpret = true;
    if (args[0].includes('n')) newline = false;
    args = args.slice(1);
  }
  let text = args.join(' ');
  if (interpret) text = text.replace(/\\r/g, '\r').replace(/\\n/g, '\n').replace(/\\t/g, '\t');
  return newline ? `${text}\n` : text;
}

function printfText(args: string[]): string {
  const [format = '', ...rest] = args;
  let i = 0;
  return format
    .replace(/%[sd]/g, () => rest[i++] ?? '')
    .replace(/\\n/g, '\n')
    .replace(/\\r/g, '\r')
    .replace(/\\t/g, '\t');
}

function parseRawHttp(text: string, now: number): AppHttpResponse | undefined {
  const m = /^HTTP\/1\.[01] (\d{3})(?: ([^\r\n]*))?\r?\n/.exec(text);
  if (!m) return undefined;
  const [head, body = ''] = text.split(/\r?\n\r?\n/, 2);
  const headers: Record<string, string> = {};
  for (const line of head!.split(/\r?\n/).slice(1)) {
    const c = line.indexOf(':');
    if (c > 0) headers[line.slice(0, c).trim()] = line.slice(c + 1).trim();
  }
  const status = Number(m[1]);
  const r = respond(status, body, now, headers);
  return { ...r, statusText: m[2] ?? statusText(status) };
}

function run(commands: SimpleCommand[], ctx: AppContext, effect: ScriptEffect): void {
  let piped: string | undefined;
  for (const cmd of commands) {
    const [name = '', ...args] = cmd.words;
    const base = name.split('/').pop()!;
    let output: string | undefined;
    let blocks = false;
    switch (base) {
      case 'echo':
        output = echoText(args);
        break;
      case 'printf':
        output = printfText(args);
        break;
      case 'hostname':
        output = `${ctx.hostname}\n`;
        break;
      case 'sleep':
        if (args[0] === 'infinity' || args[0] === 'inf') blocks = true;
        else {
          const ms = Math.round(parseFloat(args[0] ?? '0') * 1000) || 0;
          if (cmd.inLoop) effect.loopSleepMs += ms;
          else effect.elapsedMs += ms;
        }
        break;
      case 'mkdir':
      case 'cd':
      case 'export':
      case 'set':
      case 'trap':
      case 'true':
      case ':':
        break;
      case 'false':
        effect.code = 1;
        break;
      case 'exit':
        effect.code = Number(args[0] ?? '0') || 0;
        if (!cmd.inLoop) return;
        break;
      case 'tail':
        if (args.includes('-f') || args.includes('-F')) blocks = true;
        break;
      case 'httpd': {
        const portArg = args[args.indexOf('-p') + 1];
        const listen = parseListenAddress(args.includes('-p') && portArg ? portArg : '80', 80);
        const home = args.includes('-h') ? (args[args.indexOf('-h') + 1] ?? '.') : '/var/www';
        effect.listeners.push({ address: listen.address, port: listen.port, protocol: 'TCP' });
        effect.processes.push(cmd.words.join(' '));
        effect.servers.push((port, req) => {
          if (port !== listen.port) return undefined;
          let path = pathOnly(req.path);
          if (path.endsWith('/')) path += 'index.html';
          const file = effect.files[`${home.replace(/\/$/, '')}${path}`];
          const response =
            file !== undefined
              ? respond(200, file, ctx.now(), { 'Content-type': 'text/html', 'Accept-Ranges': 'bytes' })
              : respond(404, BUSYBOX_404, ctx.now(), { 'Content-type': 'text/html' });
          return { response, log: [] };
        });
        blocks = args.includes('-f');
        break;
      }
      case 'nc':
      case 'netcat':
      case 'ncat': {
        const flags = args.filter((a) => a.startsWith('-')).join('');
        if (!flags.includes('l')) break;
        const pIndex = args.findIndex((a) => a === '-p' || /^-[a-z]*p$/.test(a));
        const portText = pIndex >= 0 ? args[pIndex + 1] : args.filter((a) => /^\d+$/.test(a)).pop();
        const port = Number(portText ?? '0');
        if (!port) break;
        const reply = piped;
        // busybox nc -l serves one connection and exits unless -k; a `while true` loop restarts it.
        if (!flags.includes('k') && !cmd.inLoop && !cmd.background) effect.oneShot = true;
        effect.listeners.push({ address: '0.0.0.0', port, protocol: flags.includes('u') ? 'UDP' : 'TCP' });
        effect.processes.push(cmd.words.join(' '));
        effect.servers.push((p, req) => {
          if (p !== port || reply === undefined) return undefined;
          const response = parseRawHttp(reply, ctx.now());
          if (!response) return undefined;
          const requestLines = [`${req.method} ${req.path} HTTP/1.1`, `Host: ${req.headers['host'] ?? ''}`];
          return { response, log: requestLines };
        });
        blocks = true;
        break;
      }
      case 'python':
      case 'python3': {
        const server = pythonHttpServer(args, ctx);
        if (server) {
          effect.listeners.push(...server.listeners);
          effect.servers.push(server.http);
          effect.logs.push(...server.startupLogs);
          effect.processes.push(cmd.words.join(' '));
          blocks = true;
        }
        break;
      }
      default:
        if (SHELLS.has(name)) {
          const c = args.indexOf('-c');
          if (c >= 0) run(splitScript(args[c + 1] ?? ''), ctx, effect);
          else if (ctx.stdin) {
            effect.interactive = true;
            blocks = true;
          }
        } else if (name === 'cat' && args.length === 0 && ctx.stdin) blocks = true;
    }
    if (output !== undefined) {
      if (cmd.pipeTo) piped = output;
      else if (cmd.redirect) {
        const prev = cmd.redirect.append ? (effect.files[cmd.redirect.file] ?? '') : '';
        effect.files[cmd.redirect.file] = prev + output;
      } else {
        const lines = output.replace(/\n$/, '').split('\n');
        effect.logs.push(...lines);
        if (cmd.inLoop) effect.loopLines.push(...lines);
      }
    } else if (!cmd.pipeTo) piped = undefined;
    if ((blocks || cmd.inLoop) && !cmd.background) {
      effect.forever = true;
      if (!cmd.inLoop) return;
    }
  }
}

/** Starts a shell-ish image's argv: a shell script, or one busybox applet like `sleep 3600`. */
export function startScript(argv: string[], ctx: AppContext): AppInstance {
  const effect: ScriptEffect = {
    logs: [],
    files: {},
    listeners: [],
    servers: [],
    forever: false,
    interactive: false,
    elapsedMs: 0,
    code: 0,
    loopLines: [],
    loopSleepMs: 0,
    oneShot: false,
    processes: [],
  };
  run([{ words: argv, background: false, pipeTo: false, inLoop: false }], ctx, effect);
  const main = argv.join(' ');
  return {
    listeners: effect.listeners,
    processes: [
      { user: 'root', command: main },
      ...effect.processes.filter((p) => p !== main).map((command) => ({ user: 'root', command })),
    ],
    startupLogs: effect.logs,
    ...(effect.forever ? {} : { exit: { afterMs: effect.elapsedMs, code: effect.code } }),
    // A shell or busybox applet as PID 1 has no SIGTERM handler, so the kernel ignores the signal and
    // the kubelet waits the whole grace period (why `kubectl delete` of a busybox pod takes 30 s).
    handlesSigterm: false,
    files: effect.files,
    interactiveShell: effect.interactive,
    ...(effect.oneShot ? { exitAfterConnection: true } : {}),
    ...(effect.loopLines.length > 0 && effect.loopSleepMs > 0
      ? { periodicLog: { everyMs: effect.loopSleepMs, lines: effect.loopLines } }
      : {}),
    http(port, req) {
      for (const s of effect.servers) {
        const r = s(port, req);
        if (r) return r;
      }
      return undefined;
    },
  };
}

function shellImage(name: string, repos: string[], cmd: string[]): AppModel {
  return {
    name,
    matches: (i: ImageRef) => repos.includes(i.repository),
    entrypoint: [],
    cmd,
    start: (argv, ctx) => startScript(argv, ctx),
  };
}

/** busybox: `sh` by default; applets like sleep, httpd -f, nc -l. */
export const busyboxApp = shellImage('busybox', ['library/busybox'], ['sh']);
/** alpine: like busybox (its /bin/sh is busybox ash). */
export const alpineApp = shellImage('alpine', ['library/alpine'], ['/bin/sh']);
/** nicolaka/netshoot: zsh by default; usually run with `sleep infinity`. */
export const netshootApp = shellImage('netshoot', ['nicolaka/netshoot'], ['zsh']);
/** Debian/Ubuntu base images: bash by default. */
export const debianApp = shellImage('debian', ['library/debian', 'library/ubuntu'], ['bash']);
