import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sendInMemory } from './in-memory-http';

describe(sendInMemory.name, () => {
  it('should hand method, path, headers, body and client address to the handler and return its answer', async () => {
    const server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(201, {
          'X-Seen': `${req.method} ${req.url} ${req.headers.authorization} ${req.socket.remoteAddress}`,
        });
        res.end(body.toUpperCase());
      });
    });

    const sut = await sendInMemory(
      server,
      {
        method: 'POST',
        path: '/p?q=1',
        headers: { authorization: 'Bearer t' },
        body: 'hi',
        client: { ip: '10.244.1.9', port: 4000 },
      },
      5000,
    );

    expect(sut).toMatchObject({ status: 201, statusText: 'Created', body: 'HI' });
    expect(sut.headers['x-seen']).toBe('POST /p?q=1 Bearer t 10.244.1.9');
  });

  it('should cut a response that stays open (a watch) at the limit and return what was sent', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200);
      res.write('{"type":"ADDED"}\n');
    });

    const sut = await sendInMemory(
      server,
      { method: 'GET', path: '/w', headers: {}, client: { ip: '1.1.1.1', port: 1 } },
      200,
    );

    expect(sut).toMatchObject({ status: 200, body: '{"type":"ADDED"}\n' });
  });
});
