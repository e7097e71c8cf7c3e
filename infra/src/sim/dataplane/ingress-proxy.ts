import { AsyncLocalStorage } from 'node:async_hooks';
import type {
  V1EndpointSlice,
  V1Ingress,
  V1IngressClass,
  V1Pod,
  V1Service,
  V1ServicePort,
} from '@kubernetes/client-node';
import type { AppHttpRequest, AppHttpResponse } from '../apps/app-model';
import { clfTime } from '../apps/http-util';
import { ingressNginxError } from '../apps/ingress-nginx.app';
import {
  routeIngress,
  servesIngress,
  type IngressNginxConfig,
  type IngressRoute,
} from '../apps/ingress-nginx-routing';
import { as, type SimContext } from '../runtime/context';
import type { Kubelet } from '../runtime/kubelet';
import type { ContainerRun } from '../runtime/pod-run';
import type { HttpOutcome, HttpRequest } from '../shell/shell-host';

/** Sends an HTTP request from a pod through the dataplane (Dataplane.http). */
export type HttpForward = (
  from: { namespace: string; name: string; ip?: string },
  request: HttpRequest,
) => Promise<HttpOutcome>;

/** The ingress-nginx container of a pod and its flags. */
export interface IngressController {
  container: ContainerRun;
  config: IngressNginxConfig;
}

/** The Ingresses an ingress-nginx controller with these flags serves (it watches every namespace). */
export function servedIngresses(ctx: SimContext, config: IngressNginxConfig): V1Ingress[] {
  const classes = ctx.store.list('networking.k8s.io/ingressclasses').map((c) => as<V1IngressClass>(c));
  return ctx.store
    .list('networking.k8s.io/ingresses')
    .map((i) => as<V1Ingress>(i))
    .filter((i) => !i.metadata?.deletionTimestamp && servesIngress(config, i, classes));
}

/**
 * The endpoints ingress-nginx sends a backend's traffic to: the Service port whose number, name or
 * targetPort equals the Ingress's port (its own loose match), then the ready addresses of the
 * Service's EndpointSlices for that port. Empty when the Service or the port does not exist.
 */
export function backendEndpoints(
  ctx: SimContext,
  route: Pick<Extract<IngressRoute, { kind: 'service' }>, 'namespace' | 'service' | 'port'>,
): { ip: string; port: number }[] {
  const sp = backendServicePort(ctx, route);
  if (!sp) return [];
  const out: { ip: string; port: number }[] = [];
  for (const o of ctx.store.list('discovery.k8s.io/endpointslices', route.namespace)) {
    const slice = as<V1EndpointSlice>(o);
    if (slice.metadata?.labels?.['kubernetes.io/service-name'] !== route.service) continue;
    const port = (slice.ports ?? []).find((p) => (p.name ?? '') === (sp.name ?? ''))?.port;
    if (port === undefined || port === null) continue;
    for (const e of slice.endpoints ?? []) {
      if (e.conditions?.ready === false) continue;
      for (const ip of e.addresses ?? []) out.push({ ip, port });
    }
  }
  return out;
}

/** The Service port an Ingress backend names (by number, name, or — ingress-nginx's own leniency — targetPort). */
export function backendServicePort(
  ctx: SimContext,
  backend: { namespace: string; service: string; port: number | string },
): V1ServicePort | undefined {
  const svcObject = ctx.store.get('services', backend.namespace, backend.service);
  if (!svcObject) return undefined;
  const svc = as<V1Service>(svcObject);
  if (svc.spec?.type === 'ExternalName') return undefined;
  const want = String(backend.port);
  return (svc.spec?.ports ?? []).find(
    (p) => String(p.port) === want || String(p.targetPort ?? '') === want || p.name === want,
  );
}

/** How many controllers the current request has passed through (a loop between controllers ends here). */
const hops = new AsyncLocalStorage<number>();
/** More proxy hops than any real chain of ingress controllers has: a loop. */
const MAX_HOPS = 4;

/** Upstream response headers nginx does not pass on (proxy_hide_header defaults) or rewrites. */
const HIDDEN = new Set(['server', 'date', 'x-pad', 'x-accel-expires', 'x-accel-redirect', 'connection']);

/**
 * The data path of an ingress-nginx controller Pod: a request on its HTTP port is routed by Host
 * and path over the Ingresses it serves, then proxied from the controller Pod (its own IP, so
 * NetworkPolicy sees the controller as the client) to one ready endpoint of the backend Service.
 * No endpoint (missing Service, missing port, nothing ready) is nginx's 503, no route the default
 * backend's 404, a refused connection 502, a dropped one 504. Each request is logged in the
 * controller's access-log format.
 */
export class IngressProxy {
  constructor(
    private readonly ctx: SimContext,
    private readonly kubelet: Kubelet,
    private readonly forward: HttpForward,
  ) {}

  /** The running ingress-nginx container of the pod whose HTTP port is `port`, if there is one. */
  controllerAt(namespace: string, podName: string, port: number): IngressController | undefined {
    const pod = this.ctx.store.get('pods', namespace, podName);
    const run = pod && this.kubelet.runOf(pod.metadata.uid);
    if (!run) return undefined;
    for (const c of run.containers.values()) {
      const config = c.state === 'running' ? c.app?.instance.ingressNginx : undefined;
      if (config && config.httpPort === port) return { container: c, config };
    }
    return undefined;
  }

  /** The controller's answer, or undefined when no ingress-nginx listens on that pod's port. */
  async serve(
    namespace: string,
    podName: string,
    port: number,
    req: AppHttpRequest,
  ): Promise<AppHttpResponse | undefined> {
    const controller = this.controllerAt(namespace, podName, port);
    if (!controller) return undefined;
    const started = this.ctx.clock.now();
    const route = routeIngress(
      servedIngresses(this.ctx, controller.config),
      req.headers['host'] ?? '',
      req.path,
    );
    const requestId = this.requestId();
    let response: AppHttpResponse;
    let upstream = 'upstream-default-backend';
    let upstreamLog = '127.0.0.1:8181 146 0.000 404';
    if (route.kind === 'default-backend') {
      response = ingressNginxError(404, started);
    } else if (route.kind === 'redirect') {
      const host = (req.headers['host'] ?? '').replace(/:\d+$/, '');
      const page = ingressNginxError(301, started);
      response = { ...page, headers: { ...page.headers, Location: `http://${host}${route.to}` } };
      upstream = '';
      upstreamLog = '- - - -';
    } else {
      upstream = `${route.namespace}-${route.service}-${route.port}`;
      const endpoints = backendEndpoints(this.ctx, route);
      const chosen = endpoints[Math.floor(this.ctx.random.next() * endpoints.length)];
      const self = this.ctx.store.get('pods', namespace, podName);
      const selfIp = String((self?.status as V1Pod['status'])?.podIP ?? '');
      if (!chosen) {
        response = ingressNginxError(503, started);
        upstreamLog = '- - - -';
      } else if ((chosen.ip === selfIp && chosen.port === port) || (hops.getStore() ?? 0) >= MAX_HOPS) {
        response = ingressNginxError(502, started); // a proxy loop: nginx runs out of connections
        upstreamLog = `${chosen.ip}:${chosen.port} 0 0.000 502`;
      } else {
        const outcome = await hops.run((hops.getStore() ?? 0) + 1, () =>
          this.forward(
            { namespace, name: podName, ip: selfIp },
            {
              method: req.method,
              url: `http://${chosen.ip}:${chosen.port}${req.path}`,
              headers: {
                ...Object.fromEntries(Object.entries(req.headers).filter(([k]) => k !== 'connection')),
                'x-request-id': requestId,
                'x-real-ip': req.client.ip,
                'x-forwarded-for': req.client.ip,
                'x-forwarded-host': req.headers['host'] ?? '',
                'x-forwarded-port': String(port),
                'x-forwarded-proto': 'http',
                'x-forwarded-scheme': 'http',
                'x-scheme': 'http',
              },
              ...(req.body !== undefined ? { body: req.body } : {}),
            },
          ),
        );
        if (outcome.kind === 'response') {
          const headers: Record<string, string> = { Server: 'nginx', Date: new Date(started).toUTCString() };
          for (const [k, v] of Object.entries(outcome.headers))
            if (!HIDDEN.has(k.toLowerCase())) headers[k] = v;
          headers['Connection'] = 'keep-alive';
          response = { status: outcome.status, statusText: outcome.statusText, headers, body: outcome.body };
          upstreamLog = `${chosen.ip}:${chosen.port} ${Buffer.byteLength(outcome.body)} 0.001 ${outcome.status}`;
        } else {
          const status = outcome.connection.verdict === 'refused' ? 502 : 504;
          response = ingressNginxError(status, started);
          upstreamLog = `${chosen.ip}:${chosen.port} 0 ${status === 504 ? '5.000' : '0.000'} ${status}`;
        }
      }
    }
    const length =
      req.path.length + Object.entries(req.headers).reduce((n, [k, v]) => n + k.length + v.length + 4, 18);
    controller.container.logs.append(
      this.ctx.clock.now(),
      `${req.client.ip} - - [${clfTime(started)}] "${req.method} ${req.path} HTTP/1.1" ${response.status} ${Buffer.byteLength(response.body)} "-" "${req.headers['user-agent'] ?? '-'}" ${length} 0.001 [${upstream}] [] ${upstreamLog} ${requestId}`,
    );
    return response;
  }

  private requestId(): string {
    let id = '';
    for (let i = 0; i < 32; i++) id += Math.floor(this.ctx.random.next() * 16).toString(16);
    return id;
  }
}
