import { createServer, type Server } from 'node:https';
import {
  createServer as createPlainServer,
  type IncomingMessage,
  type Server as PlainServer,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import type { ContainerRuntime } from '../runtime/container-runtime';
import type { ObjectStore } from '../store/object-store';
import { ApiError, toStatus, type Status } from './api-error';
import {
  aggregatedDiscovery,
  discoveryContentType,
  discoveryFormat,
  legacyCoreVersions,
  legacyGroup,
  legacyGroupList,
  legacyResourceList,
} from './discovery';
import { sendJson, sendStatus } from './http-util';
import { openapiDocument, openapiIndex } from './openapi';
import { parseResourcePath, type ResourceRequest } from './request-info';
import { ResourceHandler } from './resource-handler';
import { ExecGateway, KubeletError, serveLogs } from './stream-handler';
import { PortForwardGateway } from './port-forward.gateway';
import { processTls } from './tls';
import { InClusterGate } from './auth/in-cluster-gate';
import { sendInMemory, type InMemoryRequest, type InMemoryResponse } from './in-memory-http';
import { loadTypeModels } from './type-schemas';
import { serveWatch } from './watch-handler';
import {
  DEFAULT_API_LIMITS,
  guardConnections,
  markAuthenticated,
  StreamQuota,
  WriteBudget,
  type ApiLimits,
} from './api-limits';

/** How one cluster's API server is set up. */
export interface ApiServerOptions {
  store: ObjectStore;
  /** Bearer token every request must carry. */
  token: string;
  /** The `/version` minor (e.g. 30 or 33): the kubectl dispatcher picks its client by it. */
  minor: number;
  /** Resolved per request, so the runtime can be attached after the server starts. */
  runtime?: () => ContainerRuntime | undefined;
  /** Port to listen on; 0 (default) picks a free one. */
  port?: number;
  /** Connection and stream bounds; default DEFAULT_API_LIMITS. */
  limits?: Partial<ApiLimits>;
}

const PATCH_VERSIONS: Record<number, number> = { 27: 16, 28: 15, 29: 14, 30: 13, 31: 9, 32: 4, 33: 1 };

/** The gitVersion reported for a minor, matching the kubectl the dispatcher runs for it (`v1.30.13`). */
export function gitVersion(minor: number): string {
  return `v1.${minor}.${PATCH_VERSIONS[minor] ?? 0}`;
}

/** The Kubernetes REST API of one sim cluster, over HTTPS on 127.0.0.1. */
export class ApiServer {
  private readonly server: Server;
  private readonly resources: ResourceHandler;
  private readonly exec: ExecGateway;
  private readonly portForward: PortForwardGateway;
  private readonly token: Buffer;
  private readonly runtime: () => ContainerRuntime | undefined;
  private readonly limits: ApiLimits;
  private readonly streams: StreamQuota;
  private readonly writes: WriteBudget;
  /** The same request path for connections from inside the cluster (no port: fed in memory). */
  private readonly inCluster: PlainServer;
  private readonly gate: InClusterGate;
  private url = '';

  constructor(private readonly options: ApiServerOptions) {
    const tls = processTls();
    this.token = Buffer.from(options.token);
    this.runtime = options.runtime ?? (() => undefined);
    this.limits = { ...DEFAULT_API_LIMITS, ...options.limits };
    this.streams = new StreamQuota(this.limits.streams);
    this.writes = new WriteBudget(this.limits);
    this.resources = new ResourceHandler(options.store, this.limits, options.minor);
    this.exec = new ExecGateway(options.store, this.runtime, this.limits);
    this.portForward = new PortForwardGateway(this.runtime);
    this.server = createServer({
      cert: tls.serverCert,
      key: tls.serverKey,
      keepAlive: true,
      handshakeTimeout: this.limits.authTimeoutMs,
    });
    guardConnections(this.server, this.limits);
    this.server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void this.dispatch(req, res);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.onUpgrade(req, socket, head),
    );
    this.server.on('clientError', (_e, socket) => socket.destroy());
    this.gate = new InClusterGate(options.store, this.token);
    this.inCluster = createPlainServer((req, res) => {
      if (this.gate.admit(req, res)) void this.dispatch(req, res, true);
    });
  }

  /**
   * Answers a request that reached the API server from inside the cluster (a Pod through
   * 10.96.0.1:443 or the control-plane node's :6443): authenticated by its bearer token
   * (anonymous without one, a ServiceAccount token, or the admin token), authorized by the
   * cluster's RBAC objects, then served by the same request path as kubectl's. A watch is cut
   * after `limitMs`.
   */
  serveInCluster(request: InMemoryRequest, limitMs = 5000): Promise<InMemoryResponse> {
    return sendInMemory(this.inCluster, request, limitMs);
  }

  /** Starts listening; resolves to the server URL (`https://127.0.0.1:PORT`). */
  async listen(): Promise<string> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.url = `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  /** Stops listening and drops every open connection (watches, exec sessions). */
  async close(): Promise<void> {
    this.exec.close();
    this.portForward.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private authorized(req: IncomingMessage): boolean {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer\s+(.+)$/i.exec(header);
    if (!m) return false;
    const given = Buffer.from(m[1]!.trim());
    const ok = given.length === this.token.length && timingSafeEqual(given, this.token);
    if (ok) markAuthenticated(req.socket);
    return ok;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, admitted = false): Promise<void> {
    const url = new URL(req.url ?? '/', 'https://sim');
    if (process.env.NETLAB_SIM_API_LOG)
      process.stderr.write(
        `sim-api ${req.method} ${req.url} [${req.headers.accept ?? ''}] [${req.headers['content-type'] ?? ''}]\n`,
      );
    let resource: ResourceRequest | undefined;
    try {
      if (!admitted && !this.authorized(req)) {
        throw ApiError.of('Unauthorized', 'Unauthorized', undefined, 401);
      }
      // `kubectl --as`: the admin's request runs as (and is authorized for) the impersonated user.
      if (!admitted && req.headers['impersonate-user'] && !this.gate.admit(req, res)) return;
      await loadTypeModels(); // loaded on the first request, not at start-up (a resolved promise after)
      if (this.serveNonResource(req, res, url)) return;
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        // Charged before the body is read: a refused flood costs the host almost nothing.
        const declared = Number(req.headers['content-length'] ?? 0);
        this.writes.take(Number.isFinite(declared) && declared > 0 ? declared : 0);
      }
      const parsed = parseResourcePath(url.pathname);
      if (!parsed) throw notFoundPath();
      if ('unknown' in parsed) throw notFoundPath();
      resource = parsed;
      if (resource.subresource === 'log' && resource.name && req.method === 'GET') {
        const pod = this.resources.get(resource);
        const release = this.streams.acquire(`pods "${pod.metadata.name}" log`);
        res.once('close', release);
        await serveLogs(this.runtime(), pod, req, res, url.searchParams, this.limits);
        return;
      }
      if (
        resource.subresource === 'exec' ||
        resource.subresource === 'attach' ||
        resource.subresource === 'portforward'
      ) {
        this.resources.get(resource);
        throw ApiError.badRequest('Upgrade request required');
      }
      if (req.method === 'GET' && ['true', '1'].includes(url.searchParams.get('watch') ?? '')) {
        const release = this.streams.acquire(`${resource.def.plural} watch`);
        res.once('close', release);
        serveWatch(this.options.store, req, res, resource, url.searchParams, this.limits);
        return;
      }
      await this.resources.handle(req, res, resource, url.searchParams);
    } catch (e) {
      const status = toStatus(e, resource?.def.group, resource?.def.plural);
      if (res.headersSent) res.end();
      else {
        // A refused body is not read: close the connection rather than drain it.
        if (!req.complete) res.setHeader('Connection', 'close');
        if (status.code === 429) res.setHeader('Retry-After', '1');
        sendStatus(res, status);
      }
    }
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(req.url ?? '/', 'https://sim');
    try {
      if (!this.authorized(req)) throw ApiError.of('Unauthorized', 'Unauthorized', undefined, 401);
      const parsed = parseResourcePath(url.pathname);
      if (
        !parsed ||
        'unknown' in parsed ||
        (parsed.subresource !== 'exec' &&
          parsed.subresource !== 'attach' &&
          parsed.subresource !== 'portforward')
      ) {
        throw notFoundPath();
      }
      const pod = this.resources.get(parsed);
      const release = this.streams.acquire(`pods "${pod.metadata.name}" ${parsed.subresource}`);
      socket.once('close', release);
      try {
        if (parsed.subresource === 'portforward')
          this.portForward.upgrade(req, socket, head, pod, url.searchParams, release);
        else this.exec.upgrade(req, socket, head, pod, parsed.subresource, url.searchParams);
      } catch (e) {
        release();
        throw e;
      }
    } catch (e) {
      if (e instanceof KubeletError) writeRawText(socket, 400, e.message);
      else writeRawStatus(socket, toStatus(e));
    }
  }

  /** `/version`, health, discovery and OpenAPI; returns false for resource paths. */
  private serveNonResource(req: IncomingMessage, res: ServerResponse, url: URL): boolean {
    const path = url.pathname.replace(/\/+$/, '') || '/';
    const accept = req.headers.accept;
    switch (path) {
      case '/version': {
        const minor = this.options.minor;
        sendJson(res, 200, {
          major: '1',
          minor: String(minor),
          gitVersion: gitVersion(minor),
          gitCommit: '0000000000000000000000000000000000000000',
          gitTreeState: 'clean',
          buildDate: '2025-01-01T00:00:00Z',
          goVersion: 'go1.23.0',
          compiler: 'gc',
          platform: 'linux/amd64',
        });
        return true;
      }
      case '/healthz':
      case '/readyz':
      case '/livez':
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('ok');
        return true;
      case '/api':
      case '/apis': {
        const format = discoveryFormat(accept);
        if (format === 'legacy') {
          sendJson(
            res,
            200,
            path === '/api' ? legacyCoreVersions(req.headers.host ?? '127.0.0.1') : legacyGroupList(),
          );
        } else {
          sendJson(res, 200, aggregatedDiscovery(path === '/api', format), {
            'Content-Type': discoveryContentType(format),
          });
        }
        return true;
      }
      case '/openapi/v3':
        sendJson(res, 200, openapiIndex());
        return true;
      case '/openapi/v2':
        throw notFoundPath();
    }
    if (path.startsWith('/openapi/v3/')) {
      const doc = openapiDocument(path.slice('/openapi/v3/'.length));
      if (!doc) throw notFoundPath();
      sendJson(res, 200, doc, { 'Cache-Control': 'public, immutable', Etag: `"${path}"` });
      return true;
    }
    const segs = path.split('/').filter(Boolean);
    if (segs[0] === 'api' && segs.length === 2) {
      const list = legacyResourceList('', segs[1]!);
      if (!list) throw notFoundPath();
      sendJson(res, 200, list);
      return true;
    }
    if (segs[0] === 'apis' && segs.length === 2) {
      const group = legacyGroup(segs[1]!);
      if (!group) throw notFoundPath();
      sendJson(res, 200, group);
      return true;
    }
    if (segs[0] === 'apis' && segs.length === 3) {
      const list = legacyResourceList(segs[1]!, segs[2]!);
      if (!list) throw notFoundPath();
      sendJson(res, 200, list);
      return true;
    }
    return false;
  }
}

function notFoundPath(): ApiError {
  return ApiError.of('NotFound', 'the server could not find the requested resource', undefined, 404);
}

function writeRawStatus(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  socket.end(
    `HTTP/1.1 ${status.code} ${status.reason ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

function writeRawText(socket: Duplex, code: number, text: string): void {
  socket.end(
    `HTTP/1.1 ${code} Bad Request\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
