import { request as httpRequest, type Server } from 'node:http';
import { Duplex } from 'node:stream';

/** One end of an in-memory connection: what is written here is read at the other end. */
class PipeEnd extends Duplex {
  peer?: PipeEnd;
  readonly remoteAddress: string;
  readonly remotePort: number;

  constructor(remote: { ip: string; port: number }) {
    super();
    this.remoteAddress = remote.ip;
    this.remotePort = remote.port;
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (e?: Error | null) => void): void {
    this.peer?.push(chunk);
    callback();
  }

  override _final(callback: (e?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _read(): void {}

  override _destroy(error: Error | null, callback: (e?: Error | null) => void): void {
    if (this.peer && !this.peer.destroyed) this.peer.push(null);
    callback(error);
  }

  // What http.Server calls on a net.Socket; an in-memory connection has nothing to tune.
  setTimeout(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
}

/** An HTTP request handed to a server over an in-memory connection. */
export interface InMemoryRequest {
  method: string;
  /** Path and query. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  /** The client's address, as the server sees it (`req.socket.remoteAddress`). */
  client: { ip: string; port: number };
}

/** What came back: status line, headers (lower-case names) and body. */
export interface InMemoryResponse {
  status: number;
  statusText: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * Sends one request to `server`'s request handler over an in-memory connection (no port, no TLS):
 * the same HTTP parsing, handler and response writing as a real connection. A response still open
 * after `limitMs` (a watch) is cut there, and what was sent so far is returned.
 */
export function sendInMemory(
  server: Server,
  req: InMemoryRequest,
  limitMs: number,
): Promise<InMemoryResponse> {
  const serverEnd = new PipeEnd(req.client);
  const clientEnd = new PipeEnd({ ip: '127.0.0.1', port: 6443 });
  serverEnd.peer = clientEnd;
  clientEnd.peer = serverEnd;
  server.emit('connection', serverEnd);
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers };
    if (req.body !== undefined) headers['content-length'] = String(Buffer.byteLength(req.body));
    const outgoing = httpRequest(
      { method: req.method, path: req.path, headers, createConnection: () => clientEnd as never },
      (res) => {
        const chunks: Buffer[] = [];
        const finish = () => {
          clearTimeout(timer);
          serverEnd.destroy();
          clientEnd.destroy();
          const flat: Record<string, string> = {};
          for (const [k, v] of Object.entries(res.headers))
            if (v !== undefined) flat[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: flat,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        };
        const timer = setTimeout(finish, limitMs);
        res.on('data', (c: Buffer) => chunks.push(c));
        res.once('end', finish);
        res.once('close', finish);
      },
    );
    outgoing.once('error', reject);
    outgoing.end(req.body);
  });
}
