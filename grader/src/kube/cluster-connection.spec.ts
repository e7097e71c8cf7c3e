import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraderError, GraderErrorCode } from '../errors';
import { startTlsApiServer, type TlsApiServer } from '../testing/tls-api-server';
import { ClusterConnection } from './cluster-connection';
import { ClientNodeKubeClient } from './kube-client';
import { RawObjectApi } from './raw-object-api';

const json = (res: ServerResponse, value: unknown) => {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(value));
};

/** /hang never answers; a watch answers late; the rest is a tiny API. */
function api(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url!, 'https://x');
  if (req.headers.authorization !== 'Bearer secret') {
    res.writeHead(401).end();
  } else if (url.pathname === '/hang') {
    return; // accepts the request, never answers
  } else if (url.searchParams.get('watch') === 'true') {
    setTimeout(() => json(res, { type: 'ADDED', object: { kind: 'Pod' } }), 1500);
  } else if (url.pathname === '/version') {
    json(res, { gitVersion: 'v1.33.1' });
  } else if (url.pathname === '/api/v1') {
    json(res, { kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'nodes', kind: 'Node' }] });
  } else if (url.pathname === '/api/v1/nodes') {
    json(res, { kind: 'NodeList', apiVersion: 'v1', items: [{ metadata: { name: 'n1' } }] });
  } else {
    res.writeHead(404, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', code: 404, message: 'not found' }));
  }
}

let server: TlsApiServer;
beforeAll(async () => {
  server = await startTlsApiServer(api);
});
afterAll(() => server.close());

describe(ClusterConnection.name, () => {
  it('should fail with the cluster URL, verb, path and timeout when the server accepts and never answers', async () => {
    const sut = new ClusterConnection(server.kubeconfig(), { timeoutMs: 300 });

    const error = await sut.send({ method: 'GET', path: '/hang?limit=1' }).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(GraderError);
    // CLUSTER_UNREACHABLE is what the attempts layer's transient-failure retry retries.
    expect(error).toMatchObject({
      code: GraderErrorCode.CLUSTER_UNREACHABLE,
      message: `the cluster API at ${server.url} did not answer GET /hang?limit=1 within 300 ms: is the cluster overloaded or its host stuck?`,
    });
    sut.dispose();
  });

  it('should give a watch as long as it stays open when requests have a short timeout', async () => {
    const sut = new ClusterConnection(server.kubeconfig(), { timeoutMs: 200 });

    const res = await sut.send({ method: 'GET', path: '/api/v1/pods?watch=true' });

    expect(res.status).toBe(200);
    expect(JSON.parse(res.body.toString())).toMatchObject({ type: 'ADDED' });
    sut.dispose();
  });

  it('should open one TLS connection when requests follow one another', async () => {
    const before = server.handshakes();
    const sut = new RawObjectApi(server.kubeconfig());

    for (let i = 0; i < 20; i++) expect(await sut.get('/version')).toEqual({ gitVersion: 'v1.33.1' });

    expect(server.handshakes() - before).toBe(1);
    sut.dispose();
  });

  it("should share one TLS connection between client-node's API clients and the object client", async () => {
    const before = server.handshakes();
    const sut = new ClientNodeKubeClient(server.kubeconfig());

    expect(await sut.version()).toBe('v1.33.1');
    for (let i = 0; i < 5; i++) expect((await sut.listNodes()).map((n) => n.metadata?.name)).toEqual(['n1']);
    expect(await sut.servedKinds('v1')).toEqual(['Node']);

    expect(server.handshakes() - before).toBe(1);
    sut.dispose();
  });

  it('should close its connections when disposed', async () => {
    const sut = new ClusterConnection(server.kubeconfig());
    await sut.send({ method: 'GET', path: '/version' });
    const open = server.openConnections();
    expect(open).toBeGreaterThan(0);

    sut.dispose();

    await expect.poll(() => server.openConnections(), { timeout: 10_000 }).toBe(open - 1);
    await expect(sut.send({ method: 'GET', path: '/version' })).rejects.toThrow(
      `the connection to ${server.url} was disposed`,
    );
  });

  it('should let the process exit when a client is never disposed', async () => {
    const script = `
      import { KubeConfig } from '@kubernetes/client-node';
      import { RawObjectApi } from ${JSON.stringify(join(__dirname, 'raw-object-api.ts'))};
      const kc = new KubeConfig();
      kc.loadFromString(process.env.KUBECONFIG_TEXT);
      const api = new RawObjectApi(kc);
      for (let i = 0; i < 3; i++) await api.get('/version');
      console.log('done');
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: join(__dirname, '../..'),
      env: { ...process.env, KUBECONFIG_TEXT: server.kubeconfig().exportConfig() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    // The server keeps idle connections for 60 s: only the client letting go of them ends the child sooner.
    const exited = await new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => {
        child.kill();
        resolve(null);
      }, 30_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });

    expect({ exited, output: output.trim() }).toEqual({ exited: 0, output: 'done' });
  }, 40_000);
});
