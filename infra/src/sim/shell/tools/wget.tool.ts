import { resolvePath } from '../shell-filesystem';
import { awaitConnect, ERRNO_TEXT } from '../net/connect-wait';
import { lookupHostTimed } from '../net/host-lookup';
import { SIGINT_STATUS, type Tool, type ToolContext } from '../tool-context';

const USAGE =
  'BusyBox v1.36.1 (2023-05-18 22:34:17 UTC) multi-call binary.\n\n' +
  'Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header STR]\n' +
  '\t[--post-data STR | --post-file FILE] [-Y on/off]\n' +
  '\t[-P DIR] [-U AGENT] [-T SEC] URL...\n\n' +
  'Retrieve files via HTTP or FTP\n';

interface WgetOptions {
  quiet: boolean;
  output?: string;
  timeoutMs?: number;
  spider: boolean;
  serverResponse: boolean;
  headers: string[];
  postData?: string;
  userAgent: string;
  urls: string[];
  noCheckCertificate: boolean;
}

/** busybox 1.36 wget: `Connecting to ...`, `bad address`, `can't connect to remote host`, `download timed out`. */
export const wgetTool: Tool = async (ctx) => {
  const opts = parseArgs(ctx.args);
  if (typeof opts === 'string') {
    if (opts) ctx.stderr(`wget: ${opts}\n`);
    ctx.stderr(USAGE);
    return 1;
  }
  const noted = { tls: false };
  for (const url of opts.urls) {
    const code = await fetchOne(ctx, opts, url, noted);
    if (code !== 0) return code;
  }
  return 0;
};

async function fetchOne(
  ctx: ToolContext,
  opts: WgetOptions,
  input: string,
  noted: { tls: boolean },
): Promise<number> {
  const url = new URL(/^[a-z]+:\/\//i.test(input) ? input : `http://${input}`);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    ctx.stderr(`wget: not an http or ftp url: ${input}\n`);
    return 1;
  }
  const host = url.hostname;
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  const lookup = await lookupHostTimed(ctx, host);
  if (!lookup.ok && lookup.rcode === 'INTERRUPTED') return SIGINT_STATUS;
  if (!lookup.ok) {
    ctx.stderr(`wget: bad address '${host}'\n`);
    return 1;
  }
  const hostPort = url.port ? `${host}:${port}` : host;
  if (!opts.quiet) ctx.stderr(`Connecting to ${hostPort} (${lookup.ip}:${port})\n`);
  const outcome = await awaitConnect(ctx.host.connect(host, port, 'TCP'), ctx, opts.timeoutMs ?? 900_000);
  switch (outcome.kind) {
    case 'interrupted':
      return SIGINT_STATUS;
    case 'client-timeout':
      ctx.stderr('wget: download timed out\n');
      return 1;
    case 'refused':
    case 'unreachable':
    case 'kernel-timeout':
      ctx.stderr(`wget: can't connect to remote host (${lookup.ip}): ${ERRNO_TEXT[outcome.kind]}\n`);
      return 1;
    case 'connected':
      break;
  }
  const headers: Record<string, string> = { Host: hostPort, 'User-Agent': opts.userAgent };
  for (const h of opts.headers) {
    const i = h.indexOf(':');
    if (i > 0) headers[h.slice(0, i).trim()] = h.slice(i + 1).trim();
  }
  const method = opts.postData !== undefined ? 'POST' : opts.spider ? 'HEAD' : 'GET';
  const https = url.protocol === 'https:';
  // busybox's own TLS code does not check certificates, and says so once (not even -q hides it).
  if (https && !opts.noCheckCertificate && !noted.tls) {
    ctx.stderr('wget: note: TLS certificate validation not implemented\n');
    noted.tls = true;
  }
  const answer = await ctx.host.http({ method, url: url.href, headers, body: opts.postData });
  if (ctx.signal.aborted) return SIGINT_STATUS;
  if (https && answer.kind === 'failure' && answer.tls === 'plain-server') {
    // The server answered the ClientHello with plain HTTP: not a TLS record header.
    ctx.stderr('wget: got bad TLS record (len:5) while expecting handshake record\n');
    return 1;
  }
  if (answer.kind === 'failure') {
    ctx.stderr(`wget: can't connect to remote host (${lookup.ip}): Connection refused\n`);
    return 1;
  }
  const statusLine = `HTTP/1.1 ${answer.status} ${answer.statusText}`;
  if (opts.serverResponse) {
    ctx.stderr(
      `  ${statusLine}\n${Object.entries(answer.headers)
        .map(([k, v]) => `  ${k}: ${v}\n`)
        .join('')}`,
    );
  }
  if (answer.status >= 400) {
    ctx.stderr(`wget: server returned error: ${statusLine}\n`);
    return 1;
  }
  if (opts.spider) {
    if (!opts.quiet) ctx.stderr('remote file exists\n');
    return 0;
  }
  const bytes = Buffer.byteLength(answer.body);
  const toStdout = opts.output === '-';
  const name = opts.output ?? (url.pathname.split('/').pop() || 'index.html');
  const path = resolvePath(ctx.cwd, name);
  if (!toStdout) {
    if (opts.output === undefined && ctx.fs.exists(path)) {
      ctx.stderr(`wget: can't open '${name}': File exists\n`);
      return 1;
    }
    ctx.fs.write(path, answer.body);
  }
  if (!opts.quiet) ctx.stderr(toStdout ? 'writing to stdout\n' : `saving to '${name}'\n`);
  if (toStdout) ctx.stdout(answer.body);
  if (!opts.quiet) {
    const label = (toStdout ? '-' : name).slice(0, 20).padEnd(20);
    ctx.stderr(
      `${label} 100% |********************************| ${String(bytes).padStart(5)}  0:00:00 ETA\n`,
    );
    ctx.stderr(toStdout ? 'written to stdout\n' : `'${name}' saved\n`);
  }
  return 0;
}

function parseArgs(args: string[]): WgetOptions | string {
  const o: WgetOptions = {
    quiet: false,
    spider: false,
    serverResponse: false,
    headers: [],
    userAgent: 'Wget',
    urls: [],
    noCheckCertificate: false,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const value = (): string | undefined => args[++i];
    if (arg === '--spider') o.spider = true;
    else if (arg === '--header') o.headers.push(value() ?? '');
    else if (arg === '--post-data') o.postData = value() ?? '';
    else if (arg.startsWith('--timeout=')) o.timeoutMs = Number(arg.slice(10)) * 1000;
    else if (arg.startsWith('--output-document=')) o.output = arg.slice(18);
    else if (arg === '--quiet') o.quiet = true;
    else if (arg === '--no-check-certificate') o.noCheckCertificate = true;
    else if (arg.startsWith('--')) return `unrecognized option '${arg}'`;
    else if (arg.startsWith('-') && arg.length > 1) {
      for (let j = 1; j < arg.length; j++) {
        const c = arg[j]!;
        if (c === 'q') o.quiet = true;
        else if (c === 'S') o.serverResponse = true;
        else if (c === 'c' || c === 's') continue;
        else if ('OTUPY'.includes(c)) {
          const v = arg.slice(j + 1) || value();
          if (v === undefined) return `option requires an argument -- '${c}'`;
          if (c === 'O') o.output = v;
          if (c === 'T') {
            if (!/^\d+$/.test(v)) return `invalid number '${v}'`;
            o.timeoutMs = Number(v) * 1000;
          }
          if (c === 'U') o.userAgent = v;
          break;
        } else return `invalid option -- '${c}'`;
      }
    } else o.urls.push(arg);
  }
  if (o.urls.length === 0) return '';
  return o;
}
