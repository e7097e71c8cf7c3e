import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraderErrorCode } from '../errors';
import { runChecks } from '../grade/run-checks';
import { labWith } from '../testing/lab-factory';
import { ClientNodeKubeClient } from './kube-client';
import { RawObjectApi } from './raw-object-api';

function kubeconfig(server: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server, skipTLSVerify: server.startsWith('http:') }],
    users: [{ name: 'u', token: 'secret' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  return kc;
}

/** A tiny 1.20 API: 401 without the right token, discovery for v1, one Service, 404 for the rest (no EndpointSlices). */
let server: Server;
let url = '';
const seen: { method: string; path: string; body: string; type?: string }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ method: req.method!, path: req.url!, body, type: req.headers['content-type'] });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      if (req.headers.authorization !== 'Bearer secret')
        return json(401, { kind: 'Status', message: 'Unauthorized' });
      if (req.url === '/version') return json(200, { gitVersion: 'v1.20.15' });
      if (req.url === '/api/v1') {
        return json(200, {
          kind: 'APIResourceList',
          groupVersion: 'v1',
          resources: [
            { name: 'services', kind: 'Service', namespaced: true, verbs: ['get', 'create', 'patch'] },
          ],
        });
      }
      if (req.url === '/api/v1/namespaces/shop/services/web') {
        return json(200, { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'shop' } });
      }
      if (req.method === 'POST') return json(201, JSON.parse(body));
      json(404, { kind: 'Status', message: 'not found', code: 404 });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe(ClientNodeKubeClient.name, () => {
  it('should raise CLUSTER_UNREACHABLE when nothing listens at the server address', async () => {
    const sut = new ClientNodeKubeClient(kubeconfig('https://127.0.0.1:1'));
    await expect(sut.version()).rejects.toMatchObject({ code: GraderErrorCode.CLUSTER_UNREACHABLE });
  });

  it('should raise UNAUTHORIZED when the API refuses the credentials', async () => {
    const kc = kubeconfig(url);
    kc.users[0] = { name: 'u', token: 'wrong' };
    await expect(new ClientNodeKubeClient(kc).version()).rejects.toMatchObject({
      code: GraderErrorCode.UNAUTHORIZED,
    });
  });

  it('should read an object, and give undefined for one that does not exist', async () => {
    const sut = new ClientNodeKubeClient(kubeconfig(url));
    expect(
      await sut.readObject({ apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'web' }),
    ).toMatchObject({
      metadata: { name: 'web' },
    });
    expect(
      await sut.readObject({ apiVersion: 'v1', kind: 'Service', namespace: 'shop', name: 'gone' }),
    ).toBeUndefined();
  });
});

describe(RawObjectApi.name, () => {
  it('should send an object exactly as written, with fields the typed models do not know', async () => {
    const sut = new RawObjectApi(kubeconfig(url));
    const object = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'x', namespace: 'shop' },
      spec: { from: ['kept'] },
    };
    await sut.create(object);
    const post = seen.find((s) => s.method === 'POST')!;
    expect(post.path).toBe('/api/v1/namespaces/shop/services?fieldManager=netlab');
    expect(JSON.parse(post.body)).toEqual(object);
  });
});

describe(`${ClientNodeKubeClient.name} on a cluster that lacks an API`, () => {
  it('should name the missing group/version, the cluster version and what netlab needs when listing EndpointSlices', async () => {
    const sut = new ClientNodeKubeClient(kubeconfig(url));
    await expect(sut.listEndpointSlices('shop')).rejects.toMatchObject({
      code: GraderErrorCode.API_NOT_SERVED,
      message:
        'discovery.k8s.io/v1 EndpointSlice is not served by this cluster (v1.20.15): netlab needs 1.21 or newer',
    });
  });

  it('should name a kind that no discovery document lists, and how to get it', async () => {
    const sut = new ClientNodeKubeClient(kubeconfig(url));
    await expect(
      sut.readObject({
        apiVersion: 'cilium.io/v2',
        kind: 'CiliumNetworkPolicy',
        namespace: 'shop',
        name: 'x',
      }),
    ).rejects.toMatchObject({
      code: GraderErrorCode.API_NOT_SERVED,
      message:
        'cilium.io/v2 CiliumNetworkPolicy is not served by this cluster (v1.20.15): install what serves it (a CRD or an add-on), or use a cluster that has it',
    });
  });

  it('should list the kinds a group/version serves, and nothing for one it does not', async () => {
    const sut = new ClientNodeKubeClient(kubeconfig(url));
    expect(await sut.servedKinds('v1')).toEqual(['Service']);
    expect(await sut.servedKinds('discovery.k8s.io/v1')).toBeUndefined();
  });

  it('should fail only the check that needs the missing API, with that sentence as its evidence', async () => {
    const lab = labWith([
      { id: 'eps', title: 'eps', type: 'endpoints', service: { namespace: 'shop', name: 'web' }, retries: 1 },
    ]);
    const sut = await runChecks(kubeconfig(url), lab, { retryDelayMs: 0 });
    expect(sut.checks[0]).toMatchObject({
      status: 'error',
      attempts: 1, // a missing API answers the same again
      evidence:
        'the check could not run: discovery.k8s.io/v1 EndpointSlice is not served by this cluster (v1.20.15): netlab needs 1.21 or newer',
    });
  });
});
