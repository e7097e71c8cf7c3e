import { describe, expect, it } from 'vitest';
import type { HttpOutcome } from '../shell/shell-host';
import { PodHttpConnection } from './pod-port-forward';

/** An app that answers every request with its method and path; records what it was asked. */
function anApp(answer: (method: string, path: string) => HttpOutcome | undefined = () => undefined) {
  const asked: { method: string; path: string; headers: Record<string, string>; body?: string }[] = [];
  const out: string[] = [];
  let ended = false;
  const sut = new PodHttpConnection(
    { data: (b) => out.push(b.toString()), end: () => (ended = true) },
    async (method, path, headers, body) => {
      asked.push({ method, path, headers, ...(body !== undefined ? { body } : {}) });
      return (
        answer(method, path) ?? {
          kind: 'response',
          status: 200,
          statusText: 'OK',
          headers: { 'Content-Type': 'text/plain' },
          body: `${method} ${path}\n`,
          remote: { ip: '127.0.0.1', port: 80 },
        }
      );
    },
  );
  const flush = () => new Promise((r) => setTimeout(r, 10));
  return { sut, asked, out, ended: () => ended, flush };
}

describe(PodHttpConnection.name, () => {
  it('should answer requests in order with a Content-Length when they are pipelined on one connection', async () => {
    const app = anApp();
    app.sut.write(Buffer.from('GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\n'));
    await app.flush();
    expect(app.out).toEqual([
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\nGET /a\n',
      'HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\nGET /b\n',
    ]);
    expect(app.ended()).toBe(false);
  });

  it('should wait for the whole body when a request arrives in pieces', async () => {
    const app = anApp();
    app.sut.write(Buffer.from('POST /p HTTP/1.1\r\nContent-Length: 5\r\n\r\nhe'));
    await app.flush();
    expect(app.asked).toEqual([]);
    app.sut.write(Buffer.from('llo'));
    await app.flush();
    expect(app.asked).toEqual([
      { method: 'POST', path: '/p', headers: { 'content-length': '5' }, body: 'hello' },
    ]);
  });

  it('should close after answering when the client sends Connection: close', async () => {
    const app = anApp();
    app.sut.write(Buffer.from('GET / HTTP/1.1\r\nConnection: close\r\n\r\n'));
    await app.flush();
    expect(app.out).toHaveLength(1);
    expect(app.ended()).toBe(true);
  });

  it('should answer what it has and then close when the client half-closes', async () => {
    const app = anApp();
    app.sut.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    app.sut.end();
    await app.flush();
    expect(app.out).toHaveLength(1);
    expect(app.ended()).toBe(true);
  });

  it('should send no body when the request is HEAD', async () => {
    const app = anApp();
    app.sut.write(Buffer.from('HEAD / HTTP/1.1\r\n\r\n'));
    await app.flush();
    expect(app.out[0]).toBe('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 7\r\n\r\n');
  });

  it.each([
    ['bytes that are not HTTP', 'PING\r\n\r\n'],
    ['a request line longer than a header block may be', `GET /${'a'.repeat(70 * 1024)}`],
    ['a body larger than the app reads', 'POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n'],
  ])('should read and drop the rest without answering when the client sends %s', async (_, text) => {
    const app = anApp();
    app.sut.write(Buffer.from(text));
    app.sut.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await app.flush();
    expect(app.asked).toEqual([]);
    expect(app.out).toEqual([]);
  });

  it('should stay silent when nothing on the port answers HTTP', async () => {
    const app = anApp(() => ({
      kind: 'failure',
      connection: { allowed: true, verdict: 'connected', path: [] } as never,
    }));
    app.sut.write(Buffer.from('GET / HTTP/1.1\r\n\r\n'));
    await app.flush();
    expect(app.out).toEqual([]);
    expect(app.ended()).toBe(false);
  });
});
