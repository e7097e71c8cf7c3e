import type { V1Ingress, V1IngressBackend, V1IngressClass } from '@kubernetes/client-node';

/** The flags of `/nginx-ingress-controller` that decide which Ingresses it serves and what it publishes. */
export interface IngressNginxConfig {
  /** `--ingress-class` (default `nginx`): the `kubernetes.io/ingress.class` annotation it answers to. */
  ingressClass: string;
  /** `--controller-class` (default `k8s.io/ingress-nginx`): the IngressClass `spec.controller` it owns. */
  controllerClass: string;
  /** `--watch-ingress-without-class`: also serve Ingresses that name no class. */
  watchWithoutClass: boolean;
  /** `--ingress-class-by-name`: accept `ingressClassName` equal to `--ingress-class` without an IngressClass. */
  classByName: boolean;
  /** `--publish-status-address`: what the controller writes into `status.loadBalancer.ingress`. */
  publishStatusAddress?: string;
  /** `--http-port` (default 80). */
  httpPort: number;
  /** `--https-port` (default 443). */
  httpsPort: number;
  /** `--healthz-port` (default 10254). */
  healthzPort: number;
  /** `--validating-webhook` (e.g. `:8443`), when set. */
  webhookPort?: number;
}

/** Reads the controller's flags the way its flag parser does (`--flag=value` or `--flag value`). */
export function parseIngressNginxArgs(argv: string[]): IngressNginxConfig {
  const value = (name: string): string | undefined => {
    for (let i = 0; i < argv.length; i++) {
      const a = argv[i]!;
      if (a === `--${name}` && i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) return argv[i + 1];
      if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    }
    return undefined;
  };
  const flag = (name: string): boolean => {
    if (argv.includes(`--${name}`)) return true;
    const v = value(name);
    return v === 'true' || v === '1';
  };
  const port = (name: string, fallback: number) => {
    const v = Number(value(name));
    return Number.isInteger(v) && v > 0 && v < 65536 ? v : fallback;
  };
  const webhook = value('validating-webhook');
  const webhookPort = webhook ? Number(/(\d+)$/.exec(webhook)?.[1]) : undefined;
  const publish = value('publish-status-address');
  return {
    ingressClass: value('ingress-class') ?? 'nginx',
    controllerClass: value('controller-class') ?? 'k8s.io/ingress-nginx',
    watchWithoutClass: flag('watch-ingress-without-class'),
    classByName: flag('ingress-class-by-name'),
    ...(publish ? { publishStatusAddress: publish } : {}),
    httpPort: port('http-port', 80),
    httpsPort: port('https-port', 443),
    healthzPort: port('healthz-port', 10254),
    ...(webhookPort && Number.isInteger(webhookPort) ? { webhookPort } : {}),
  };
}

const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/** Whether the controller serves this Ingress: its class annotation, its IngressClass, or no class at all. */
export function servesIngress(
  config: IngressNginxConfig,
  ingress: V1Ingress,
  classes: readonly V1IngressClass[],
): boolean {
  const annotation = ingress.metadata?.annotations?.[CLASS_ANNOTATION];
  if (annotation !== undefined) return annotation === config.ingressClass;
  const className = ingress.spec?.ingressClassName;
  if (!className) return config.watchWithoutClass;
  const cls = classes.find((c) => c.metadata?.name === className);
  if (cls) return cls.spec?.controller === config.controllerClass;
  return config.classByName && className === config.ingressClass;
}

/** Where a request goes: a Service backend of one Ingress, or the controller's own default backend (404). */
export type IngressRoute =
  | {
      kind: 'service';
      namespace: string;
      ingress: string;
      service: string;
      /** The backend's port: a number or a Service port name. */
      port: number | string;
      /** The nginx location that matched, e.g. `= /api` or `/api/`. */
      location: string;
    }
  | { kind: 'default-backend'; location: string }
  /** nginx's automatic 301 for `/a` when a proxied location is `/a/` (the path with a slash added). */
  | { kind: 'redirect'; to: string };

interface Location {
  exact: boolean;
  path: string;
  backend: V1IngressBackend;
  namespace: string;
  ingress: string;
}

interface Server {
  locations: Location[];
  /** The catch-all `/`: an Ingress's `defaultBackend`, else the controller's default backend. */
  root?: { backend: V1IngressBackend; namespace: string; ingress: string };
}

const DEFAULT_SERVER = '_';

/** The locations ingress-nginx writes for one path: Prefix `/a` is `= /a` plus `/a/`; Exact is `= p`. */
function locationsOf(path: string, pathType: string | undefined): { exact: boolean; path: string }[] {
  const p = path || '/';
  if (pathType === 'Exact') return [{ exact: true, path: p }];
  if (pathType === 'Prefix' && p !== '/' && !p.endsWith('/'))
    return [
      { exact: true, path: p },
      { exact: false, path: `${p}/` },
    ];
  return [{ exact: false, path: p }];
}

/**
 * The nginx servers the controller renders from its Ingresses (oldest first, as it sorts them):
 * one per host (`_` for rules without one), each with the locations of every path; the first
 * Ingress to claim a host and path keeps it.
 */
function buildServers(ingresses: readonly V1Ingress[]): Map<string, Server> {
  const servers = new Map<string, Server>([[DEFAULT_SERVER, { locations: [] }]]);
  const sorted = [...ingresses].sort(
    (a, b) =>
      String(a.metadata?.creationTimestamp ?? '').localeCompare(
        String(b.metadata?.creationTimestamp ?? ''),
      ) ||
      `${a.metadata?.namespace}/${a.metadata?.name}`.localeCompare(
        `${b.metadata?.namespace}/${b.metadata?.name}`,
      ),
  );
  for (const ing of sorted) {
    const namespace = ing.metadata?.namespace ?? 'default';
    const ingress = ing.metadata?.name ?? '';
    const def = ing.spec?.defaultBackend;
    const rules = ing.spec?.rules ?? [];
    if (def?.service && rules.length === 0) {
      const catchAll = servers.get(DEFAULT_SERVER)!;
      catchAll.root ??= { backend: def, namespace, ingress };
    }
    for (const rule of rules) {
      const host = (rule.host ?? '').toLowerCase() || DEFAULT_SERVER;
      let server = servers.get(host);
      if (!server) {
        server = { locations: [], ...(def?.service ? { root: { backend: def, namespace, ingress } } : {}) };
        servers.set(host, server);
      }
      for (const p of rule.http?.paths ?? []) {
        if (!p.backend?.service) continue;
        for (const loc of locationsOf(p.path ?? '/', p.pathType)) {
          if (server.locations.some((l) => l.exact === loc.exact && l.path === loc.path)) continue;
          server.locations.push({ ...loc, backend: p.backend, namespace, ingress });
        }
      }
    }
  }
  return servers;
}

/** nginx's server_name choice: the exact name, then the longest `*.suffix` wildcard, then `_`. */
function pickServer(servers: Map<string, Server>, hostHeader: string): Server {
  const host = hostHeader
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '')
    .toLowerCase();
  const exact = servers.get(host);
  if (exact && host !== DEFAULT_SERVER) return exact;
  let best: { server: Server; length: number } | undefined;
  for (const [name, server] of servers) {
    if (!name.startsWith('*.')) continue;
    const suffix = name.slice(1);
    if (host.endsWith(suffix) && host.length > suffix.length && (!best || suffix.length > best.length))
      best = { server, length: suffix.length };
  }
  return best?.server ?? servers.get(DEFAULT_SERVER)!;
}

/**
 * Which backend ingress-nginx picks for a request: the server by Host, then nginx's location
 * choice (an exact `=` location first, then the longest prefix; ImplementationSpecific paths are
 * plain string prefixes); no location means the server's catch-all `/`. A request for `/a` where
 * a location is `/a/` (a path written with its trailing slash) is nginx's 301 to `/a/`.
 */
export function routeIngress(ingresses: readonly V1Ingress[], host: string, rawPath: string): IngressRoute {
  const [pathPart, query] = rawPath.split(/\?(.*)/s, 2);
  const path = pathPart || '/';
  const server = pickServer(buildServers(ingresses), host);
  const exact = server.locations.find((l) => l.exact && l.path === path);
  if (!exact && server.locations.some((l) => !l.exact && l.path === `${path}/`))
    return { kind: 'redirect', to: `${path}/${query !== undefined ? `?${query}` : ''}` };
  const prefix = server.locations
    .filter((l) => !l.exact && path.startsWith(l.path))
    .sort((a, b) => b.path.length - a.path.length)[0];
  const hit = exact ?? prefix;
  if (hit) {
    const svc = hit.backend.service!;
    return {
      kind: 'service',
      namespace: hit.namespace,
      ingress: hit.ingress,
      service: svc.name,
      port: svc.port?.number ?? svc.port?.name ?? '',
      location: hit.exact ? `= ${hit.path}` : hit.path,
    };
  }
  if (server.root?.backend.service) {
    const svc = server.root.backend.service;
    return {
      kind: 'service',
      namespace: server.root.namespace,
      ingress: server.root.ingress,
      service: svc.name,
      port: svc.port?.number ?? svc.port?.name ?? '',
      location: '/',
    };
  }
  return { kind: 'default-backend', location: '/' };
}
