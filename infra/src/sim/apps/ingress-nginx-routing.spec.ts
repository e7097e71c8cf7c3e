import type { V1Ingress, V1IngressClass } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parseIngressNginxArgs, routeIngress, servesIngress } from './ingress-nginx-routing';

type PathSpec = [path: string, pathType: string, service: string];

function ingress(
  name: string,
  rules: { host?: string; paths: PathSpec[] }[],
  extra: { defaultBackend?: string; created?: string; className?: string; annotation?: string } = {},
): V1Ingress {
  return {
    metadata: {
      name,
      namespace: 'shop',
      creationTimestamp: (extra.created ?? '2026-12-02T00:00:00Z') as unknown as Date,
      ...(extra.annotation ? { annotations: { 'kubernetes.io/ingress.class': extra.annotation } } : {}),
    },
    spec: {
      ...(extra.className ? { ingressClassName: extra.className } : {}),
      ...(extra.defaultBackend
        ? { defaultBackend: { service: { name: extra.defaultBackend, port: { number: 80 } } } }
        : {}),
      rules: rules.map((r) => ({
        ...(r.host ? { host: r.host } : {}),
        http: {
          paths: r.paths.map(([path, pathType, service]) => ({
            path,
            pathType,
            backend: { service: { name: service, port: { number: 80 } } },
          })),
        },
      })),
    },
  };
}

const target = (route: ReturnType<typeof routeIngress>) =>
  route.kind === 'service' ? route.service : route.kind;

describe(routeIngress.name, () => {
  const shop = ingress('shop', [
    {
      host: 'shop.example.com',
      paths: [
        ['/', 'Prefix', 'web'],
        ['/api', 'Prefix', 'api'],
        ['/exact', 'Exact', 'exact'],
        ['/impl', 'ImplementationSpecific', 'impl'],
        ['/docs/', 'Prefix', 'docs'],
      ],
    },
    { host: '*.example.org', paths: [['/', 'Prefix', 'wild']] },
  ]);

  it.each([
    ['the Prefix path itself', 'shop.example.com', '/api', 'api'],
    ['a path below a Prefix path', 'shop.example.com', '/api/orders', 'api'],
    ['a Prefix path with a trailing slash', 'shop.example.com', '/api/', 'api'],
    ['a name that only starts like a Prefix path (element-wise)', 'shop.example.com', '/apiary', 'web'],
    ['the Exact path', 'shop.example.com', '/exact', 'exact'],
    ['a path below an Exact path', 'shop.example.com', '/exact/1', 'web'],
    ['an ImplementationSpecific path as a string prefix', 'shop.example.com', '/implementation', 'impl'],
    ['a query string', 'shop.example.com', '/api?x=1', 'api'],
    ['a Host header with a port', 'shop.example.com:80', '/api', 'api'],
    ['an upper-case Host header', 'SHOP.example.com', '/api', 'api'],
    ['a wildcard host', 'a.example.org', '/x', 'wild'],
    ['a wildcard host with no subdomain', 'example.org', '/x', 'default-backend'],
    ['a host no rule names', 'other.example.com', '/', 'default-backend'],
  ])('should route %s', (_what, host, path, expected) => {
    expect(target(routeIngress([shop], host, path))).toBe(expected);
  });

  it("should answer nginx's 301 to the slashed path when a Prefix path ends with a slash and the request does not", () => {
    expect(routeIngress([shop], 'shop.example.com', '/docs?page=2')).toEqual({
      kind: 'redirect',
      to: '/docs/?page=2',
    });
    expect(target(routeIngress([shop], 'shop.example.com', '/docs/intro'))).toBe('docs');
  });

  it('should answer the default backend when the host has no / path', () => {
    const only = ingress('only', [{ host: 'a.test', paths: [['/api', 'Exact', 'api']] }]);

    expect(routeIngress([only], 'a.test', '/other')).toEqual({ kind: 'default-backend', location: '/' });
  });

  it("should use the Ingress's defaultBackend for its hosts' unmatched paths", () => {
    const ing = ingress('d', [{ host: 'a.test', paths: [['/api', 'Exact', 'api']] }], {
      defaultBackend: 'fallback',
    });

    expect(target(routeIngress([ing], 'a.test', '/other'))).toBe('fallback');
    expect(target(routeIngress([ing], 'b.test', '/other'))).toBe('default-backend');
  });

  it('should make a defaultBackend without rules the catch-all of every unknown host', () => {
    const ing = ingress('d', [], { defaultBackend: 'fallback' });

    expect(target(routeIngress([ing], 'anything.test', '/'))).toBe('fallback');
  });

  it('should keep the oldest Ingress when two claim the same host and path', () => {
    const old = ingress('old', [{ host: 'a.test', paths: [['/', 'Prefix', 'first']] }], {
      created: '2026-12-01T00:00:00Z',
    });
    const young = ingress('young', [{ host: 'a.test', paths: [['/', 'Prefix', 'second']] }]);

    expect(target(routeIngress([young, old], 'a.test', '/'))).toBe('first');
  });

  it('should merge the paths of two Ingresses for one host', () => {
    const a = ingress('a', [{ host: 'a.test', paths: [['/', 'Prefix', 'web']] }]);
    const b = ingress('b', [{ host: 'a.test', paths: [['/api', 'Prefix', 'api']] }]);

    expect(target(routeIngress([a, b], 'a.test', '/api/x'))).toBe('api');
  });
});

describe(servesIngress.name, () => {
  const kind = parseIngressNginxArgs(['/nginx-ingress-controller', '--watch-ingress-without-class=true']);
  const strict = parseIngressNginxArgs(['/nginx-ingress-controller']);
  const nginx: V1IngressClass = { metadata: { name: 'nginx' }, spec: { controller: 'k8s.io/ingress-nginx' } };
  const other: V1IngressClass = {
    metadata: { name: 'traefik' },
    spec: { controller: 'traefik.io/ingress-controller' },
  };

  it.each([
    ['its IngressClass', kind, { className: 'nginx' }, true],
    ["another controller's IngressClass", kind, { className: 'traefik' }, false],
    ['a class that does not exist', kind, { className: 'nope' }, false],
    ['no class with --watch-ingress-without-class', kind, {}, true],
    ['no class without --watch-ingress-without-class', strict, {}, false],
    ['its class annotation', strict, { annotation: 'nginx' }, true],
    ['another class annotation', kind, { annotation: 'traefik' }, false],
  ])('should decide for an Ingress with %s', (_what, config, extra, expected) => {
    const ing = ingress('x', [], extra);

    expect(servesIngress(config, ing, [nginx, other])).toBe(expected);
  });
});

describe(parseIngressNginxArgs.name, () => {
  it("should read kind's flags and default the ports", () => {
    const sut = parseIngressNginxArgs([
      '/nginx-ingress-controller',
      '--ingress-class=nginx',
      '--publish-status-address=localhost',
      '--validating-webhook=:8443',
    ]);

    expect(sut).toMatchObject({
      ingressClass: 'nginx',
      controllerClass: 'k8s.io/ingress-nginx',
      publishStatusAddress: 'localhost',
      httpPort: 80,
      httpsPort: 443,
      healthzPort: 10254,
      webhookPort: 8443,
      watchWithoutClass: false,
    });
  });
});
