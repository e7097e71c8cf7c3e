import { awaitConnect, ERRNO_TEXT } from '../net/connect-wait';
import { lookupHostTimed } from '../net/host-lookup';
import { SIGINT_STATUS, type Tool } from '../tool-context';
import { ncListen } from './server.tools';

const USAGE =
  'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n' +
  'Usage: nc [OPTIONS] HOST PORT  - connect\nnc [OPTIONS] -l -p PORT [HOST] [PORT]  - listen\n\n' +
  '\t-e PROG\tRun PROG after connect (must be last)\n\t-l\tListen mode, for inbound connects\n' +
  '\t-lk\tWith -e, provides persistent server\n\t-p PORT\tLocal port\n\t-s ADDR\tLocal address\n' +
  '\t-w SEC\tTimeout for connects and final net reads\n\t-i SEC\tDelay interval for lines sent\n' +
  "\t-n\tDon't do DNS resolution\n\t-u\tUDP mode\n\t-b\tAllow broadcasts\n\t-v\tVerbose\n" +
  '\t-o FILE\tHex dump traffic\n\t-z\tZero-I/O mode (scanning)\n';

/** The /etc/services names netcat-openbsd prints for a port (`[tcp/http]`); others are `*`. */
const SERVICES: Record<number, string> = {
  21: 'ftp',
  22: 'ssh',
  25: 'smtp',
  53: 'domain',
  80: 'http',
  443: 'https',
  3306: 'mysql',
  5432: 'postgresql',
  6379: 'redis',
  8080: 'http-alt',
};

/**
 * busybox 1.36 nc (the nc 1.10 compatible one): `-z` scans, `-v` reports `open`; like nc 1.10 it
 * prints a refusal only at `-vv`, other failures (timeouts, no route) at `-v`. Where the image ships
 * netcat-openbsd (`host.netcat`, netshoot) it words results that way: `Connection to web
 * (10.96.0.20) 80 port [tcp/http] succeeded!`, `nc: connect to … failed: Connection refused`.
 */
export const ncTool: Tool = async (ctx) => {
  let verbose = 0;
  let zero = false;
  let udp = false;
  let waitMs: number | undefined;
  let listen = false;
  let keep = false;
  let localPort: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < ctx.args.length; i++) {
    const arg = ctx.args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    for (let j = 1; j < arg.length; j++) {
      const c = arg[j]!;
      if (c === 'v') verbose++;
      else if (c === 'z') zero = true;
      else if (c === 'u') udp = true;
      else if (c === 'n') continue;
      else if (c === 'l') listen = true;
      else if (c === 'k') keep = true;
      else if (c === 'w' || c === 'p' || c === 's' || c === 'i') {
        const v = arg.slice(j + 1) || ctx.args[++i];
        if (v === undefined || (c === 'w' && !/^\d+$/.test(v))) {
          ctx.stderr(USAGE);
          return 1;
        }
        if (c === 'w') waitMs = Number(v) * 1000;
        if (c === 'p') localPort = v;
        break;
      } else {
        ctx.stderr(`nc: invalid option -- '${c}'\n${USAGE}`);
        return 1;
      }
    }
  }
  if (listen) {
    const port = Number(localPort ?? positional.at(-1) ?? NaN);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      ctx.stderr(USAGE);
      return 1;
    }
    return ncListen(ctx, port, udp, keep);
  }
  const [name, portText] = positional;
  if (name === undefined || positional.length > 2) {
    ctx.stderr(USAGE);
    return 1;
  }
  const openbsd = ctx.host.netcat === 'openbsd';
  const lookup = await lookupHostTimed(ctx, name);
  if (!lookup.ok && lookup.rcode === 'INTERRUPTED') return SIGINT_STATUS;
  if (!lookup.ok) {
    ctx.stderr(
      openbsd
        ? `nc: getaddrinfo for host "${name}" port ${portText ?? ''}: Name does not resolve\n`
        : `nc: bad address '${name}'\n`,
    );
    return 1;
  }
  const port = Number(portText ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    ctx.stderr(`nc: bad port '${portText}'\n`);
    return 1;
  }
  const dotted = `${lookup.ip}:${port}`;
  const reach = ctx.host.connect(name, port, udp ? 'UDP' : 'TCP');
  if (openbsd) {
    const who = name === lookup.ip ? name : `${name} (${lookup.ip})`;
    const proto = udp ? 'udp' : 'tcp';
    const outcome = udp ? ({ kind: 'connected' } as const) : await awaitConnect(reach, ctx, waitMs);
    if (outcome.kind === 'interrupted') return SIGINT_STATUS;
    if (outcome.kind === 'connected') {
      if (verbose)
        ctx.stderr(`Connection to ${who} ${port} port [${proto}/${SERVICES[port] ?? '*'}] succeeded!\n`);
      return zero || udp ? 0 : sendStdin(ctx, name, port);
    }
    if (verbose) {
      ctx.stderr(
        outcome.kind === 'client-timeout'
          ? `nc: connect to ${who} port ${port} (${proto}) timed out: Operation now in progress\n`
          : `nc: connect to ${who} port ${port} (${proto}) failed: ${ERRNO_TEXT[outcome.kind]}\n`,
      );
    }
    return 1;
  }
  if (udp) {
    // UDP has no handshake: nc believes the port is open unless an ICMP error comes back.
    if (verbose) ctx.stderr(`${name} (${dotted}) open\n`);
    return 0;
  }
  const outcome = await awaitConnect(reach, ctx, waitMs);
  if (outcome.kind === 'interrupted') return SIGINT_STATUS;
  if (outcome.kind === 'connected') {
    if (verbose) ctx.stderr(`${name} (${dotted}) open\n`);
    if (zero) return 0;
    return sendStdin(ctx, name, port);
  }
  const reason = outcome.kind === 'client-timeout' ? 'Connection timed out' : ERRNO_TEXT[outcome.kind];
  if (verbose > 1 || (verbose && outcome.kind !== 'refused'))
    ctx.stderr(`nc: ${name} (${dotted}): ${reason}\n`);
  return 1;
};

/** Without -z, nc sends its stdin; an HTTP request gets the app's raw HTTP answer back. */
async function sendStdin(ctx: Parameters<Tool>[0], name: string, port: number): Promise<number> {
  const m = /^([A-Z]+) (\S+) HTTP\/1\.[01]\r?\n/.exec(ctx.stdin);
  if (!m) return 0;
  const headers: Record<string, string> = {};
  for (const line of ctx.stdin.split(/\r?\n/).slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim()] = line.slice(i + 1).trim();
  }
  const answer = await ctx.host.http({ method: m[1]!, url: `http://${name}:${port}${m[2]}`, headers });
  if (answer.kind === 'response') {
    const head = Object.entries(answer.headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    ctx.stdout(`HTTP/1.1 ${answer.status} ${answer.statusText}\r\n${head}\r\n${answer.body}`);
  }
  return 0;
}
