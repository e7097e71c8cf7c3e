import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraderErrorCode } from '../errors';
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

/** A tiny API: 401 without the right token, discovery for v1, one Service, 404 for the rest. */
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
      if (req.url === '/version') return json(200, { gitVersion: 'v1.31.0' });
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
