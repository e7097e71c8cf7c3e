import { connect } from 'node:tls';
import WebSocket from 'ws';
import { afterEach, describe, expect, it } from 'vitest';
import { aServer } from './hostile-server';
import { HostileRuntime } from './hostile-runtime';
import { call, caOf, openExec, until, type Target } from './hostile-harness';

/**
 * Sends a streaming GET over a raw TLS socket and stops reading after the status line, as a client
 * that hangs would. `resume()` reads again and resolves once the server has ended the response
 * (its last chunk) or closed the connection.
 */
function neverRead(target: Target, path: string): { status: Promise<number>; resume(): Promise<void> } {
  let onStatus!: (n: number) => void;
  const status = new Promise<number>((r) => (onStatus = r));
  const url = new URL(target.url);
  const socket = connect({
    host: url.hostname,
    port: Number(url.port),
    ca: caOf(target),
    servername: 'localhost',
  });
  let tail = '';
  let ended!: () => void;
  const end = new Promise<void>((r) => (ended = r));
  socket.on('secureConnect', () =>
    socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${target.token}\r\n\r\n`),
  );
  socket.once('data', (d: Buffer) => {
    onStatus(Number(/^HTTP\/1\.1 (\d+)/.exec(d.toString())?.[1] ?? 0));
    socket.pause();
    socket.on('data', (more: Buffer) => {
      tail = (tail + more.toString('latin1')).slice(-16);
      if (tail.endsWith('\r\n0\r\n\r\n')) ended();
    });
  });
  socket.on('error', () => ended());
  socket.on('close', () => ended());
  return {
    status,
    resume: () => {
      socket.resume();
      return end.finally(() => socket.destroy());
    },
  };
}

/** Opens a port-forward WebSocket as client-node does (channel protocol). */
function openPortForward(cluster: Target, path: string): Promise<WebSocket> {
  const ws = new WebSocket(`${cluster.url.replace('https', 'wss')}${path}`, ['v4.channel.k8s.io'], {
    ca: caOf(cluster),
    headers: { Authorization: `Bearer ${cluster.token}` },
  });
  ws.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

describe('slow and idle clients', { timeout: 60_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });
  async function server(...args: Parameters<typeof aServer>) {
    const s = await aServer(...args);
    cleanups.push(() => s.close());
    return s;
  }

  it('should close a log follower that stops reading instead of buffering the container without bound', async () => {
    const sut = await server({ streamBufferBytes: 1024 * 1024 }, new HostileRuntime());
    const r = neverRead(sut, '/api/v1/namespaces/default/pods/box/log?follow=true');
    expect(await r.status).toBe(200);
    await new Promise((res) => setTimeout(res, 2000));
    await r.resume();
  });

  it('should close a watcher that stops reading, as the API server drops a slow watcher', async () => {
    const sut = await server({ streamBufferBytes: 1024 * 1024 });
    const r = neverRead(sut, '/api/v1/namespaces/default/configmaps?watch=true');
    expect(await r.status).toBe(200);
    const cm = (i: number) => ({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'big', namespace: 'default' },
      data: { k: String(i).repeat(100_000) },
    });
    sut.store.create('configmaps', cm(0));
    for (let i = 1; i < 400; i++) {
      sut.store.update('configmaps', cm(i % 10));
      if (i % 20 === 0) await new Promise((res) => setTimeout(res, 5));
    }
    // 40 MB of events went to a client that read none: the server ended the watch instead.
    await r.resume();
  });

  it('should close an exec session whose client stops reading a flood of output', async () => {
    const sut = await server({ execMaxBufferedBytes: 4 * 1024 * 1024 }, new HostileRuntime());
    const ws = await openExec(sut, '/api/v1/namespaces/default/pods/box/exec?command=flood&stdout=true');
    ws.pause();
    await new Promise((r) => setTimeout(r, 3000));
    const closed = new Promise<void>((resolve) => ws.once('close', () => resolve()));
    ws.resume();
    await closed;
  });

  it('should close a port-forward whose client stops reading a flood from the pod', async () => {
    const runtime = new HostileRuntime();
    const sut = await server({}, runtime);
    const ws = await openPortForward(sut, '/api/v1/namespaces/default/pods/box/portforward?ports=80');
    ws.send(Buffer.from([0, 0x47]));
    ws.pause();
    await until(() => runtime.portForwardsDestroyed === 1);
    ws.terminate();
  });

  it('should count port-forward sessions against the per-cluster stream quota', async () => {
    const runtime = new HostileRuntime();
    const sut = await server({ streams: 1 }, runtime);
    const held = await openPortForward(sut, '/api/v1/namespaces/default/pods/box/portforward?ports=80');
    await expect(
      openPortForward(sut, '/api/v1/namespaces/default/pods/box/portforward?ports=81'),
    ).rejects.toThrow('HTTP 403');
    const r = await call(sut, 'GET', '/api/v1/namespaces/default/pods/box/log');
    expect(JSON.parse(r.body).message).toBe(
      'pods "box" log is forbidden: exceeded quota: netlab-cluster-quota, requested: streams=1, used: streams=1, limited: streams=1',
    );
    // Closing the session gives its slot back.
    held.close();
    const deadline = Date.now() + 20_000;
    let again: WebSocket | undefined;
    while (!again && Date.now() < deadline) {
      again = await openPortForward(sut, '/api/v1/namespaces/default/pods/box/portforward?ports=80').catch(
        () => undefined,
      );
      if (!again) await new Promise((r) => setTimeout(r, 100));
    }
    expect(again).toBeDefined();
    again?.close();
  });

  it('should stop reading stdin a process does not read, so the client is held back by TCP', async () => {
    const sut = await server({}, new HostileRuntime());
    const ws = await openExec(
      sut,
      '/api/v1/namespaces/default/pods/box/exec?command=deaf&stdin=true&stdout=true',
    );
    const frame = Buffer.concat([Buffer.from([0]), Buffer.alloc(64 * 1024, 'x')]);
    for (let i = 0; i < 1024; i++) ws.send(frame); // 64 MiB
    await new Promise((r) => setTimeout(r, 3000));
    // Had the server taken it all, the client's queue would be empty by now.
    expect(ws.bufferedAmount).toBeGreaterThan(32 * 1024 * 1024);
    ws.terminate();
  });

  it('should close a connection that never authenticates', async () => {
    const sut = await server({ authTimeoutMs: 500 });
    const port = Number(new URL(sut.url).port);
    const started = Date.now();
    await new Promise<void>((resolve, reject) => {
      const s = connect({ port, host: '127.0.0.1', ca: caOf(sut), servername: 'localhost' });
      s.on('error', reject);
      s.on('secureConnect', () => s.write('GET /api HTTP/1.1\r\nHost: x\r\n')); // headers never finished
      s.on('close', () => resolve());
    });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('should cap the connections to one cluster', async () => {
    const sut = await server({ connections: 4, authTimeoutMs: 60_000 });
    const port = Number(new URL(sut.url).port);
    const sockets = Array.from({ length: 8 }, () =>
      connect({ port, host: '127.0.0.1', ca: caOf(sut), servername: 'localhost' }),
    );
    const states = await Promise.all(
      sockets.map(
        (s) =>
          new Promise<string>((resolve) => {
            s.on('secureConnect', () => resolve('open'));
            s.on('error', () => resolve('refused'));
            s.on('close', () => resolve('refused'));
          }),
      ),
    );
    expect(states.filter((s) => s === 'open')).toHaveLength(4);
    for (const s of sockets) s.destroy();
  });

  it('should refuse a stream past the per-cluster stream quota with 403 exceeded quota', async () => {
    const sut = await server({ streams: 2 });
    const a = neverRead(sut, '/api/v1/namespaces/default/configmaps?watch=true');
    const b = neverRead(sut, '/api/v1/namespaces/default/secrets?watch=true');
    expect([await a.status, await b.status]).toEqual([200, 200]);
    const r = await call(sut, 'GET', '/api/v1/namespaces/default/pods/box/log');
    expect(r.status).toBe(403);
    expect(JSON.parse(r.body).message).toBe(
      'pods "box" log is forbidden: exceeded quota: netlab-cluster-quota, requested: streams=1, used: streams=2, limited: streams=2',
    );
  });

  it('should refuse a workload asking for more replicas than the per-workload quota', async () => {
    const sut = await server({ replicasPerWorkload: 10 });
    const deploy = (replicas: number) =>
      JSON.stringify({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web' },
        spec: {
          replicas,
          selector: { matchLabels: { app: 'web' } },
          template: {
            metadata: { labels: { app: 'web' } },
            spec: { containers: [{ name: 'c', image: 'nginx' }] },
          },
        },
      });
    const big = await call(sut, 'POST', '/apis/apps/v1/namespaces/default/deployments', deploy(5000));
    expect(big.status).toBe(403);
    expect(JSON.parse(big.body).message).toBe(
      'deployments.apps "web" is forbidden: exceeded quota: netlab-cluster-quota, requested: replicas=5000, limited: replicas=10',
    );
    expect((await call(sut, 'POST', '/apis/apps/v1/namespaces/default/deployments', deploy(3))).status).toBe(
      201,
    );
    const scale = await call(
      sut,
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/web/scale',
      '{"spec":{"replicas":5000}}',
      'application/merge-patch+json',
    );
    expect(scale.status).toBe(403);
  });
});
