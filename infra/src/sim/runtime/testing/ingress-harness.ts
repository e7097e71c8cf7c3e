import { aDeployment, aPod, aRuntime, aService, podsOf } from './runtime-harness';

const client = { namespace: 'default', name: 'client' };

/** An Ingress for host shop.test with these paths, each to a Service port by number. */
export function anIngress(
  name: string,
  paths: { path: string; pathType: string; service: string; port: number }[],
) {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name, namespace: 'default' },
    spec: {
      rules: [
        {
          host: 'shop.test',
          http: {
            paths: paths.map((p) => ({
              path: p.path,
              pathType: p.pathType,
              backend: { service: { name: p.service, port: { number: p.port } } },
            })),
          },
        },
      ],
    },
  };
}

/** A cluster with an ingress-nginx controller (no class needed), an echo app behind a Service, and a client. */
export async function withController() {
  const h = await aRuntime();
  h.store.create(
    'pods',
    aPod('client', { containers: [{ name: 'c', image: 'busybox', command: ['sleep', '3600'] }] }),
  );
  h.store.create(
    'apps/deployments',
    aDeployment('controller', {
      image: 'registry.k8s.io/ingress-nginx/controller:v1.12.1',
      args: [
        '/nginx-ingress-controller',
        '--watch-ingress-without-class=true',
        '--publish-status-address=localhost',
      ],
    }),
  );
  h.store.create(
    'apps/deployments',
    aDeployment('web', {
      image: 'hashicorp/http-echo:1.0',
      args: ['-text=storefront'],
      ports: [{ containerPort: 5678 }],
    }),
  );
  h.store.create('services', aService('web', { app: 'web' }, 80, 5678, '10.96.50.50'));
  await h.sut.advance(3000);
  const controllerIp = String(podsOf(h.store, 'controller-')[0]?.status?.podIP);
  const get = (path: string, host = 'shop.test') =>
    h.sut.dataplane.http(client, {
      method: 'GET',
      url: `http://${controllerIp}${path}`,
      headers: { Host: host },
    });
  return { ...h, get, controllerIp };
}
