import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BoundedWatch } from './bounded-watch';

const PATH = '/api/v1/namespaces/lab/pods';
const EVENT = `${JSON.stringify({ type: 'ADDED', object: { metadata: { name: 'web' } } })}\n`;

/** A real HTTP server standing in for an API server: every watch request waits for `answer()`. */
async function apiServer() {
  const waiting: { req: IncomingMessage; res: ServerResponse; closed: Promise<unknown> }[] = [];
  const server = createServer((req, res) => {
    waiting.push({ req, res, closed: once(res, 'close') });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'c',
        server: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        skipTLSVerify: true, // client-node refuses plain HTTP without it
      },
    ],
    users: [{ name: 'u' }],
    contexts: [{ name: 'x', cluster: 'c', user: 'u' }],
    currentContext: 'x',
  });
  const request = async () => {
    await vi.waitFor(() => expect(waiting.length).toBeGreaterThan(0));
    return waiting.shift()!;
  };
  const answer = (res: ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write(EVENT);
  };
  return { kc, request, answer, close: () => (server.closeAllConnections(), server.close()) };
}

describe(BoundedWatch.name, () => {
  let stop: (() => void) | undefined;
  afterEach(() => stop?.());

  it('should fail a watch the API server does not answer in time, and drop the late answer', async () => {
    const api = await apiServer();
    stop = api.close;
    const events: string[] = [];
    const done = vi.fn();
    const started = new BoundedWatch(api.kc, 150).watch(PATH, {}, (type) => events.push(type), done);
    const { req, res, closed } = await api.request();
    expect(req.url).toContain('watch=true');

    await vi.waitFor(() => expect(done).toHaveBeenCalledTimes(1), { timeout: 2000 });
    expect(String(done.mock.calls[0]![0])).toContain(
      `the cluster API did not answer the watch of ${PATH} within 0.15 s`,
    );
    api.answer(res); // too late
    await started;
    await closed; // the client hung up on the late answer
    expect(events).toEqual([]);
    expect(done).toHaveBeenCalledTimes(1);
  });

  it('should pass events of an answered watch on, and end it when closed', async () => {
    const api = await apiServer();
    stop = api.close;
    const events: string[] = [];
    const done = vi.fn();
    const watch = new BoundedWatch(api.kc, 150);
    const started = watch.watch(
      PATH,
      {},
      (type, object) => events.push(`${type} ${object.metadata.name}`),
      done,
    );
    const { res, closed } = await api.request();
    api.answer(res);
    await started;
    await vi.waitFor(() => expect(events).toEqual(['ADDED web']));
    await new Promise((resolve) => setTimeout(resolve, 300)); // past answerMs: an answered watch stays open
    expect(done).not.toHaveBeenCalled();

    watch.close();
    await closed;
  });

  it('should not leave open a watch that was waiting for its answer when closed', async () => {
    const api = await apiServer();
    stop = api.close;
    const events: string[] = [];
    const watch = new BoundedWatch(api.kc, 10_000);
    const started = watch.watch(PATH, {}, (type) => events.push(type), vi.fn());
    const { res, closed } = await api.request();

    watch.close();
    api.answer(res);
    await started;
    await closed;
    expect(events).toEqual([]);
    const done = vi.fn();
    await watch.watch(PATH, {}, () => undefined, done); // closed: no new request either
    expect(String(done.mock.calls[0]![0])).toContain('the watch was closed');
  });
});
