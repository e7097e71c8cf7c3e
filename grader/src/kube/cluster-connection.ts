import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { GraderError, GraderErrorCode } from '../errors';

/** How a {@link ClusterConnection} talks to its API server. */
export interface ConnectionOptions {
  /** Deadline for one request, connect to last byte; watches and log follows have none. Default 30 s. */
  timeoutMs?: number;
  /** Open connections to the API server at the most; further requests queue. Default 8. */
  maxSockets?: number;
}

/** Options of a client over a connection: its own (with these options), or a shared one it does not close. */
export type ClientConnectionOptions = ConnectionOptions & { connection?: ClusterConnection };

/** One HTTP request to the API server; `path` may carry a query. */
export interface ApiRequest {
  method: string;
  path: string;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
  /** The headers already carry the kubeconfig's credentials (client-node's own clients set them). */
  authenticated?: boolean;
}

/** The API server's answer, read to the end. */
export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_SOCKETS = 8;
// An idle connection is closed after this (sooner when the server's Keep-Alive hint says so), so a
// client nobody disposes holds no socket for long.
const IDLE_CLOSE_MS = 30_000;
// A server closes an idle keep-alive connection when it likes; a request sent on it as it closes
// was never read, so a method that may run twice is sent again once, on a fresh connection.
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/**
 * One kubeconfig's connection to its API server: keep-alive connections (TLS is set up once, not
 * per request) in a bounded pool, and a deadline on every request so that a server that accepts
 * and never answers fails the call instead of stalling it. Idle connections do not keep the
 * process alive (the agent unrefs them) and close after 30 s, or before the server's Keep-Alive
 * hint runs out; {@link dispose} closes them at once.
 */
export class ClusterConnection {
  /** The API server's URL, as the kubeconfig names it. */
  readonly server: string;
  private readonly timeoutMs: number;
  private readonly maxSockets: number;
  private agent?: Promise<HttpAgent | undefined>;
  private disposed = false;

  constructor(
    private readonly kc: KubeConfig,
    options: ConnectionOptions = {},
  ) {
    const server = kc.getCurrentCluster()?.server;
    if (!server)
      throw new Error(
        'the kubeconfig has no current cluster: set current-context to a context with a cluster',
      );
    this.server = server;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxSockets = options.maxSockets ?? DEFAULT_MAX_SOCKETS;
  }

  /** Sends one request with the kubeconfig's credentials; throws a timeout or a connection error, never an HTTP status. */
  async send(request: ApiRequest): Promise<ApiResponse> {
    const options: RequestOptions = { method: request.method, headers: {} };
    // Credentials are read for each request: an exec plugin's token expires and is renewed.
    if (!request.authenticated) await this.kc.applyToHTTPSOptions(options);
    const headers: Record<string, string | number> = {
      ...(options.headers as Record<string, string>),
      ...request.headers,
    };
    if (options.auth) headers.Authorization = `Basic ${Buffer.from(options.auth).toString('base64')}`;
    if (request.body !== undefined) headers['Content-Length'] = Buffer.byteLength(request.body);
    const agent = (await this.sharedAgent()) ?? options.agent;
    try {
      return await this.once(request, headers, agent);
    } catch (error) {
      const reused = (error as { reusedSocket?: boolean }).reusedSocket;
      if (!reused || !IDEMPOTENT.has(request.method) || !isReset(error)) throw error;
      return this.once(request, headers, agent);
    }
  }

  /** Closes every connection; later requests fail. */
  dispose(): void {
    this.disposed = true;
    void this.agent?.then((a) => a?.destroy());
  }

  private once(
    request: ApiRequest,
    headers: Record<string, string | number>,
    agent: RequestOptions['agent'],
  ): Promise<ApiResponse> {
    if (this.disposed) return Promise.reject(new Error(`the connection to ${this.server} was disposed`));
    // Joined, not resolved: a server URL may carry a path prefix (a proxy's /k8s/clusters/c-1).
    const url = new URL(
      /^https?:/.test(request.path) ? request.path : `${this.server.replace(/\/$/, '')}${request.path}`,
    );
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    return new Promise((resolve, reject) => {
      const req = send(url, { method: request.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) });
        });
        res.on('error', fail);
      });
      const fail = (error: Error) => {
        clearTimeout(timer);
        if (req.reusedSocket) Object.assign(error, { reusedSocket: true });
        reject(error);
      };
      const timer = isStream(url)
        ? undefined
        : setTimeout(() => req.destroy(this.timeout(request.method, url)), this.timeoutMs);
      req.on('error', fail);
      req.end(request.body);
    });
  }

  private timeout(method: string, url: URL): GraderError {
    return new GraderError(
      GraderErrorCode.CLUSTER_UNREACHABLE,
      `the cluster API at ${this.server} did not answer ${method} ${url.pathname}${url.search} within ${this.timeoutMs} ms: is the cluster overloaded or its host stuck?`,
    );
  }

  /**
   * One agent for the connection's life, holding the kubeconfig's TLS settings. None when the
   * cluster is reached through a proxy: client-node's proxy agent is then used as it is.
   */
  private sharedAgent(): Promise<HttpAgent | undefined> {
    this.agent ??= (async () => {
      if (this.kc.getCurrentCluster()?.proxyUrl) return undefined;
      const pool = {
        keepAlive: true,
        maxSockets: this.maxSockets,
        maxFreeSockets: this.maxSockets,
        timeout: IDLE_CLOSE_MS,
      };
      if (this.server.startsWith('http:')) return new HttpAgent(pool);
      const tls: RequestOptions = {};
      await this.kc.applyToHTTPSOptions(tls);
      const { ca, cert, key, pfx, passphrase, rejectUnauthorized } = tls;
      const servername = tls.servername ?? this.kc.getCurrentCluster()?.tlsServerName;
      const settings = { ca, cert, key, pfx, passphrase, rejectUnauthorized, servername };
      // An unset key stays out: `servername: undefined` would override the host-derived name.
      const defined = Object.entries(settings).filter(([, v]) => v !== undefined);
      return new HttpsAgent({ ...pool, ...Object.fromEntries(defined) });
    })();
    return this.agent;
  }
}

/** A watch or a followed log: answers for as long as it is open, so it gets no deadline. */
function isStream(url: URL): boolean {
  const on = (name: string) => ['true', '1'].includes(url.searchParams.get(name) ?? '');
  return on('watch') || on('follow');
}

function isReset(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === 'ECONNRESET' || code === 'EPIPE';
}
