import type { HttpRequest } from '../shell-host';
import { resolvePath } from '../shell-filesystem';
import { awaitConnect, ERRNO_TEXT, type ConnectOutcome } from '../net/connect-wait';
import { isIPv4, lookupHostTimed } from '../net/host-lookup';
import { SIGINT_STATUS, type Tool, type ToolContext } from '../tool-context';
import { CurlUsageError, parseCurlArgs, type CurlOptions } from './curl-options';
import { METER_HEADER, meterLine, renderWriteOut, type WriteOutValues } from './curl-meter';
import { CA_CERT_HELP, CurlTls } from './curl-tls';

const TRY_HELP = "curl: try 'curl --help' or 'curl --manual' for more information\n";
const VERSION =
  'curl 8.5.0 (x86_64-alpine-linux-musl) libcurl/8.5.0 OpenSSL/3.1.4 zlib/1.3 brotli/1.1.0 nghttp2/1.58.0\n' +
  'Release-Date: 2023-12-06\n' +
  'Protocols: dict file ftp ftps gopher gophers http https imap imaps mqtt pop3 pop3s rtsp smb smbs smtp smtps telnet tftp ws wss\n' +
  'Features: alt-svc AsynchDNS brotli HSTS HTTP2 HTTPS-proxy IPv6 Largefile libz NTLM SSL threadsafe TLS-SRP UnixSockets\n';
const MAX_REDIRECTS = 50;

type Options = CurlOptions & { noProgressMeter: boolean };

/** curl 8.x: HTTP through the cluster's networking model, with curl's messages and exit codes. */
export const curlTool: Tool = async (ctx) => {
  let opts: Options;
  try {
    opts = parseCurlArgs(ctx.args);
  } catch (e) {
    if (!(e instanceof CurlUsageError)) throw e;
    ctx.stderr(`curl: ${e.message}\n${TRY_HELP}`);
    return 2;
  }
  if (opts.version) {
    ctx.stdout(VERSION);
    return 0;
  }
  if (opts.help) {
    ctx.stdout(
      'Usage: curl [options...] <url>\n -d, --data <data>   HTTP POST data\n -f, --fail          Fail fast with no output on HTTP errors\n -h, --help <category> Get help for commands\n -i, --include       Include protocol response headers in the output\n -o, --output <file> Write to file instead of stdout\n -O, --remote-name   Write output to a file named as the remote file\n -s, --silent        Silent mode\n -T, --upload-file <file> Transfer local FILE to destination\n -u, --user <user:password> Server user and password\n -A, --user-agent <name> Send User-Agent <name> to server\n -v, --verbose       Make the operation more talkative\n -V, --version       Show version number and quit\n',
    );
    return 0;
  }
  if (opts.urls.length === 0) {
    ctx.stderr(`curl: no URL specified\n${TRY_HELP}`);
    return 2;
  }
  let status = 0;
  for (const url of opts.urls) {
    status = await new Transfer(ctx, opts).run(url);
    if (ctx.signal.aborted) return SIGINT_STATUS;
  }
  return status;
};

/** One URL's transfer, following redirects with -L. */
class Transfer {
  private readonly start: number;
  private readonly meter: boolean;
  private readonly values: WriteOutValues;

  constructor(
    private readonly ctx: ToolContext,
    private readonly opts: Options,
  ) {
    this.start = ctx.clock.now();
    const toFile = opts.output !== undefined || opts.remoteName;
    this.meter = !opts.silent && !opts.noProgressMeter && (toFile || !ctx.stdoutIsTerminal);
    this.values = {
      http_code: '000',
      time_total: 0,
      remote_ip: '',
      remote_port: '',
      size_download: 0,
      url_effective: '',
      exitcode: 0,
      errormsg: '',
      content_type: '',
      num_redirects: 0,
      method: 'GET',
    };
  }

  async run(input: string): Promise<number> {
    if (this.meter) this.ctx.stderr(`${METER_HEADER}\r${meterLine(0, 0, false)}`);
    for (const entry of this.opts.resolve) this.verbose(`* Added ${entry} to DNS cache`);
    const code = await this.fetch(input);
    if (code === SIGINT_STATUS && this.ctx.signal.aborted) return code;
    this.values.time_total = this.elapsed();
    this.values.exitcode = code;
    if (this.opts.writeOut !== undefined) this.ctx.stdout(renderWriteOut(this.opts.writeOut, this.values));
    return code;
  }

  private async fetch(input: string): Promise<number> {
    let url = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(input) ? input : `http://${input}`;
    for (let hop = 0; ; hop++) {
      const scheme = url.slice(0, url.indexOf(':')).toLowerCase();
      if (scheme !== 'http' && scheme !== 'https') return this.fail(1, `Protocol "${scheme}" not supported`);
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        return this.fail(3, 'URL using bad/illegal format or missing URL');
      }
      this.values.url_effective = parsed.href;
      const host = parsed.hostname.replace(/^\[|\]$/g, '');
      const port = Number(parsed.port || (scheme === 'https' ? 443 : 80));
      const result = await this.request(parsed, host, port);
      if (typeof result === 'number') return result;
      if (result.redirect && this.opts.location && hop < MAX_REDIRECTS) {
        url = new URL(result.redirect, parsed).href;
        this.values.num_redirects++;
        this.verbose(`* Issue another request to this URL: '${url}'`);
        continue;
      }
      if (result.redirect && this.opts.location)
        return this.fail(47, `Maximum (${MAX_REDIRECTS}) redirects followed`);
      return 0;
    }
  }

  /** Connects and sends one request; a number is the exit code, otherwise the redirect target, if any. */
  private async request(url: URL, host: string, port: number): Promise<number | { redirect?: string }> {
    const { ctx, opts } = this;
    const timeout = minDefined(opts.connectTimeoutMs, opts.maxTimeMs);
    const pinned = resolveEntry(opts.resolve, host, port);
    const lookup = pinned ? { ok: true as const, ip: pinned } : await lookupHostTimed(ctx, host, timeout);
    if (!lookup.ok) {
      if (lookup.rcode === 'INTERRUPTED') return SIGINT_STATUS;
      if (lookup.rcode === 'TIMEOUT') {
        const message = `Resolving timed out after ${this.elapsed()} milliseconds`;
        this.verbose(`* ${message}`, '* Closing connection');
        return this.fail(28, message);
      }
      this.verbose(`* Could not resolve host: ${host}`, '* Closing connection');
      return this.fail(6, `Could not resolve host: ${host}`);
    }
    const ip = lookup.ip;
    this.values.remote_ip = ip;
    this.values.remote_port = String(port);
    if (pinned) this.verbose(`* Hostname ${host} was found in DNS cache`);
    else if (!isIPv4(host))
      this.verbose(`* Host ${host}:${port} was resolved.`, '* IPv6: (none)', `* IPv4: ${ip}`);
    this.verbose(`*   Trying ${ip}:${port}...`);
    const remaining = timeout === undefined ? undefined : Math.max(0, timeout - this.elapsed());
    const outcome = await awaitConnect(ctx.host.connect(pinned ?? host, port, 'TCP'), ctx, remaining);
    if (outcome.kind !== 'connected') return this.connectFailure(outcome, host, ip, port);
    this.verbose(`* Connected to ${host} (${ip}) port ${port}`);

    const method = opts.method ?? (opts.head ? 'HEAD' : opts.data.length > 0 ? 'POST' : 'GET');
    this.values.method = method;
    const https = url.protocol === 'https:';
    const tls = https ? new CurlTls(ctx, opts, host) : undefined;
    const caProblem = tls?.load();
    if (caProblem) {
      this.verbose('* Closing connection');
      return this.fail(caProblem.code, caProblem.message);
    }
    if (tls) this.verbose(...tls.hello());
    const target = new URL(url.href);
    if (pinned) target.hostname = pinned;
    const request: HttpRequest = {
      method,
      url: target.href,
      headers: this.requestHeaders(url, port),
      ...(tls ? { tls: { accept: (server) => tls.accept(server) } } : {}),
    };
    if (opts.data.length > 0) {
      request.body = opts.data
        .map((d) =>
          d.startsWith('@')
            ? (ctx.fs.read(resolvePath(ctx.cwd, d.slice(1))) ?? '').replace(/[\r\n]/g, '')
            : d,
        )
        .join('&');
      request.headers['Content-Length'] = String(Buffer.byteLength(request.body));
    }
    const defaultPath = `${url.pathname}${url.search}`;
    const requestLines = [
      `> ${method} ${defaultPath} HTTP/1.1`,
      ...Object.entries(request.headers).map(([k, v]) => `> ${k}: ${v}`),
      '> ',
    ];
    if (!tls) this.verbose(...requestLines);
    const answer = await ctx.host.http(request);
    if (ctx.signal.aborted) return SIGINT_STATUS;
    if (tls && answer.kind === 'failure' && answer.tls) {
      const ended = answer.tls === 'plain-server' ? tls.plainServer() : tls.outcome();
      if (ended && !ended.ok) {
        this.verbose(...ended.verbose, '* Closing connection');
        return this.fail(ended.code, ended.message);
      }
    }
    if (tls) {
      const handshake = tls.outcome();
      if (handshake?.ok) this.verbose(...handshake.verbose);
      if (answer.kind === 'response') this.verbose(...requestLines);
    }
    if (answer.kind === 'failure') {
      const failed = await awaitConnect(answer.connection, ctx, remaining);
      if (failed.kind === 'connected') return this.fail(52, 'Empty reply from server');
      return this.connectFailure(failed, host, ip, port);
    }
    const response = answer;
    const headers = withDefaults(response.headers, response.body, ctx.clock.date());
    this.values.http_code = String(response.status).padStart(3, '0');
    this.values.content_type = headers['Content-Type'] ?? '';
    const statusLine = `HTTP/1.1 ${response.status} ${response.statusText}`;
    this.verbose(`< ${statusLine}`, ...Object.entries(headers).map(([k, v]) => `< ${k}: ${v}`), '< ');
    const location =
      response.status >= 300 && response.status < 400 ? headerValue(headers, 'location') : undefined;
    if (location && opts.location) {
      this.verbose(`* Connection #0 to host ${host} left intact`);
      return { redirect: location };
    }
    if (opts.fail && response.status >= 400) {
      this.verbose('* Closing connection');
      return this.fail(22, `The requested URL returned error: ${response.status}`);
    }
    const body = method === 'HEAD' ? '' : response.body;
    const bytes = Buffer.byteLength(body);
    if (this.meter && bytes > 0 && opts.verbose) ctx.stderr(`{ [${bytes} bytes data]\n`);
    const headerBlock = `${statusLine}\r\n${Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('')}\r\n`;
    const out = (opts.include || opts.head ? headerBlock : '') + body;
    const written = this.writeBody(out, url);
    if (written !== 0) return written;
    this.values.size_download = bytes;
    if (this.meter) ctx.stderr(`\r${meterLine(bytes, this.elapsed(), true)}\n`);
    this.verbose(`* Connection #0 to host ${host} left intact`);
    return {};
  }

  private writeBody(text: string, url: URL): number {
    const { ctx, opts } = this;
    let target = opts.output;
    if (target === undefined && opts.remoteName) {
      target = url.pathname.split('/').pop() ?? '';
      if (target === '') return this.fail(23, 'Remote file name has no length!');
    }
    if (target === undefined || target === '-') ctx.stdout(text);
    else {
      const path = resolvePath(ctx.cwd, target);
      if (ctx.fs.isDir(path)) return this.fail(23, `Failed writing body`);
      ctx.fs.write(path, text);
    }
    return 0;
  }

  private connectFailure(
    outcome: Exclude<ConnectOutcome, { kind: 'connected' }>,
    host: string,
    ip: string,
    port: number,
  ): number {
    const ms = this.elapsed();
    if (outcome.kind === 'interrupted') return SIGINT_STATUS;
    if (outcome.kind === 'client-timeout') {
      const byConnect =
        this.opts.connectTimeoutMs !== undefined &&
        this.opts.connectTimeoutMs <= (this.opts.maxTimeMs ?? Infinity);
      const message = byConnect
        ? `Failed to connect to ${host} port ${port} after ${ms} ms: Timeout was reached`
        : `Connection timed out after ${ms} milliseconds`;
      this.verbose(`* ${message}`, '* Closing connection');
      return this.fail(28, message);
    }
    const src = this.ctx.host.pod.ip ?? '0.0.0.0';
    const srcPort = 32768 + ((this.ctx.shell.commandPid * 7919) % 28000);
    const message = `Failed to connect to ${host} port ${port} after ${ms} ms: Couldn't connect to server`;
    this.verbose(
      `* connect to ${ip} port ${port} from ${src} port ${srcPort} failed: ${ERRNO_TEXT[outcome.kind]}`,
      `* ${message}`,
      '* Closing connection',
    );
    return this.fail(outcome.kind === 'kernel-timeout' ? 28 : 7, message);
  }

  private requestHeaders(url: URL, port: number): Record<string, string> {
    const defaultPort = url.protocol === 'https:' ? 443 : 80;
    const headers: Record<string, string> = {
      Host: port === defaultPort ? url.hostname : `${url.hostname}:${port}`,
      'User-Agent': this.opts.userAgent,
      Accept: '*/*',
    };
    for (const h of this.opts.headers) {
      const i = h.indexOf(':');
      if (i <= 0) continue;
      const name = h.slice(0, i).trim();
      const existing = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase());
      if (existing) delete headers[existing];
      const value = h.slice(i + 1).trim();
      if (value !== '') headers[name] = value;
    }
    if (this.opts.data.length > 0 && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
    }
    return headers;
  }

  private fail(code: number, message: string): number {
    this.values.errormsg = message;
    if (this.meter) this.ctx.stderr('\n');
    if (!this.opts.silent || this.opts.showError)
      this.ctx.stderr(`curl: (${code}) ${message}\n${code === 60 ? CA_CERT_HELP : ''}`);
    return code;
  }

  private verbose(...lines: string[]): void {
    if (this.opts.verbose) this.ctx.stderr(lines.map((l) => `${l}\n`).join(''));
  }

  private elapsed(): number {
    return this.ctx.clock.now() - this.start;
  }
}

/** The address `--resolve HOST:PORT:ADDR` pins for this host and port, if any. */
function resolveEntry(entries: string[], host: string, port: number): string | undefined {
  for (const entry of entries) {
    const m = /^([^:]+):(\d+):\[?([^\]]+)\]?$/.exec(entry.replace(/^\+/, ''));
    if (m && m[1]!.toLowerCase() === host.toLowerCase() && Number(m[2]) === port) return m[3];
  }
  return undefined;
}

function minDefined(a?: number, b?: number): number | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return Math.min(a, b);
}

/** The response headers a real server adds when the app model did not say: Date and Content-Length. */
function withDefaults(headers: Record<string, string>, body: string, now: Date): Record<string, string> {
  const out = { ...headers };
  const has = (name: string) => Object.keys(out).some((k) => k.toLowerCase() === name.toLowerCase());
  if (!has('date')) out.Date = now.toUTCString();
  if (!has('content-length')) out['Content-Length'] = String(Buffer.byteLength(body));
  return out;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
