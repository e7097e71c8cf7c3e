import { describe, expect, it } from 'vitest';
import { anIngress, withController } from '../runtime/testing/ingress-harness';
import { aDeployment, aService, podsOf } from '../runtime/testing/runtime-harness';
import { IngressProxy } from './ingress-proxy';

const client = { namespace: 'default', name: 'client' };
describe(IngressProxy.name, () => {
  it('should proxy a matching host and path to a ready endpoint and answer as nginx', async () => {
    const { store, sut, get } = await withController();
    store.create(
      'networking.k8s.io/ingresses',
      anIngress('shop', [{ path: '/', pathType: 'Prefix', service: 'web', port: 80 }]),
    );
    await sut.advance(500);

    const answer = await get('/cart');

    expect(answer).toMatchObject({ kind: 'response', status: 200, body: 'storefront\n' });
    expect(answer.kind === 'response' && answer.headers['Server']).toBe('nginx');
  });

  it.each([
    ['a Service that does not exist', 'missing', 80],
    ['a port the Service does not have', 'web', 8080],
  ])("should answer nginx's 503 page when the backend names %s", async (_what, service, port) => {
    const { store, sut, get } = await withController();
    store.create(
      'networking.k8s.io/ingresses',
      anIngress('shop', [{ path: '/', pathType: 'Prefix', service, port }]),
    );
    await sut.advance(500);

    const answer = await get('/');

    expect(answer).toMatchObject({
      kind: 'response',
      status: 503,
      statusText: 'Service Temporarily Unavailable',
    });
    expect(answer.kind === 'response' && answer.body).toContain(
      '<center><h1>503 Service Temporarily Unavailable</h1></center>',
    );
  });

  it('should accept the targetPort number as the backend port, as ingress-nginx does', async () => {
    const { store, sut, get } = await withController();
    store.create(
      'networking.k8s.io/ingresses',
      anIngress('shop', [{ path: '/', pathType: 'Prefix', service: 'web', port: 5678 }]),
    );
    await sut.advance(500);

    expect(await get('/')).toMatchObject({ kind: 'response', status: 200 });
  });

  it("should answer the default backend's 404 when no rule matches and log it as upstream-default-backend", async () => {
    const { store, sut, get } = await withController();
    store.create(
      'networking.k8s.io/ingresses',
      anIngress('shop', [{ path: '/api', pathType: 'Exact', service: 'web', port: 80 }]),
    );
    await sut.advance(500);

    const answer = await get('/api/orders');

    expect(answer).toMatchObject({ kind: 'response', status: 404 });
    const pod = podsOf(store, 'controller-')[0]!;
    const lines: string[] = [];
    for await (const l of sut.logs({ namespace: 'default', pod: pod.metadata!.name!, container: 'app' }, {}))
      lines.push(l);
    expect(
      lines.some((l) => /"GET \/api\/orders HTTP\/1\.1" 404 146 .*\[upstream-default-backend\]/.test(l)),
    ).toBe(true);
  });

  it('should answer 502 when the endpoint refuses the connection', async () => {
    const { store, sut, get } = await withController();
    store.create('services', aService('wrong', { app: 'web' }, 80, 9999, '10.96.50.51'));
    store.create(
      'networking.k8s.io/ingresses',
      anIngress('shop', [{ path: '/', pathType: 'Prefix', service: 'wrong', port: 80 }]),
    );
    await sut.advance(1000);

    expect(await get('/')).toMatchObject({ kind: 'response', status: 502, statusText: 'Bad Gateway' });
  });

  it('should leave requests to other ports of the Pod to the app model', async () => {
    const { sut, controllerIp } = await withController();

    const health = await sut.dataplane.http(client, {
      method: 'GET',
      url: `http://${controllerIp}:10254/healthz`,
      headers: {},
    });

    expect(health).toMatchObject({ kind: 'response', status: 200, body: 'ok' });
  });
  it('should end a loop between two controllers with a 502 instead of proxying for ever', async () => {
    const { store, sut } = await withController();
    for (const [me, other] of [
      ['a', 'b'],
      ['b', 'a'],
    ] as const) {
      store.create(
        'apps/deployments',
        aDeployment(`ctl-${me}`, {
          image: 'registry.k8s.io/ingress-nginx/controller:v1.12.1',
          args: ['/nginx-ingress-controller', `--ingress-class=${me}`],
        }),
      );
      store.create(
        'services',
        aService(`ctl-${me}`, { app: `ctl-${me}` }, 80, 80, `10.96.60.${me === 'a' ? 1 : 2}`),
      );
      const ing = anIngress(`to-${other}`, [
        { path: '/', pathType: 'Prefix', service: `ctl-${other}`, port: 80 },
      ]);
      store.create('networking.k8s.io/ingresses', {
        ...ing,
        metadata: { ...ing.metadata, annotations: { 'kubernetes.io/ingress.class': me } },
      });
    }
    await sut.advance(3000);

    const answer = await sut.dataplane.http(client, {
      method: 'GET',
      url: 'http://10.96.60.1/',
      headers: { Host: 'shop.test' },
    });

    expect(answer).toMatchObject({ kind: 'response', status: 502 });
  });
});
