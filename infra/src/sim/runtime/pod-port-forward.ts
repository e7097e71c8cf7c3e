import type { Dataplane } from '../dataplane/dataplane';
import type { HttpOutcome } from '../shell/shell-host';
import type { SimContext } from './context';
import { PortForwardError, type PortForwardConnection, type PortForwardSink } from './container-runtime';
import type { Kubelet } from './kubelet';

/** Bytes of one request's head (request line and headers) the app reads before giving up. */
const MAX_HEAD_BYTES = 64 * 1024;
/** Bytes of one request's body. */
const MAX_BODY_BYTES = 1024 * 1024;

/** `/var/run/netns/cni-…` as containerd names a sandbox's network namespace (a UUID from the ID). */
function netnsPath(sandboxId: string): string {
  const h = sandboxId.padEnd(32, '0');
  return `/var/run/netns/cni-${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/**
 * `kubectl port-forward`'s connection into a pod, as the kubelet (containerd's `portForward`) makes
 * it: a dial to localhost:PORT inside the pod's network namespace, so a listener on 127.0.0.1 is
 * reachable and NetworkPolicy does not apply. The bytes are the app's: HTTP requests are answered
 * by the app model listening on the port (as `curl localhost:PORT` in the pod would be); anything
 * else is read and left unanswered, as a server speaking another protocol would.
 */
export function openPodPort(
  ctx: SimContext,
  kubelet: Kubelet,
  dataplane: Dataplane,
  target: { namespace: string; pod: string },
  port: number,
  sink: PortForwardSink,
): PortForwardConnection {
  const stored = ctx.store.get('pods', target.namespace, target.pod);
  const run = stored && kubelet.runOf(stored.metadata.uid);
  if (!stored || !run || run.sandbox !== 'ready')
    throw new PortForwardError(`pod ${target.pod} is not running`);
  const id = run.sandboxId;
  const from = { namespace: target.namespace, name: target.pod };
  const reach = dataplane.connect(from, '127.0.0.1', port);
  if (reach.verdict !== 'connected') {
    throw new PortForwardError(
      `error forwarding port ${port} to pod ${id}, uid : failed to execute portforward in network namespace "${netnsPath(id)}": failed to connect to localhost:${port} inside namespace "${id}", IPv4: dial tcp4 127.0.0.1:${port}: connect: connection refused IPv6 dial tcp6 [::1]:${port}: connect: connection refused `,
    );
  }
  return new PodHttpConnection(sink, (method, path, headers, body) =>
    dataplane.http(from, {
      method,
      url: `http://127.0.0.1:${port}${path}`,
      headers,
      ...(body !== undefined ? { body } : {}),
    }),
  );
}

type Ask = (
  method: string,
  path: string,
  headers: Record<string, string>,
  body: string | undefined,
) => Promise<HttpOutcome>;

/** One forwarded TCP connection carrying HTTP/1.x requests, answered in order (keep-alive, pipelining). */
export class PodHttpConnection implements PortForwardConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private queue: Promise<void> = Promise.resolve();
  private done = false;
  /** The bytes are not HTTP: the rest is read and dropped. */
  private opaque = false;

  constructor(
    private readonly sink: PortForwardSink,
    private readonly ask: Ask,
  ) {}

  write(bytes: Buffer): void {
    if (this.done || this.opaque) return;
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, bytes]) : bytes;
    for (;;) {
      const request = this.next();
      if (!request) break;
      this.queue = this.queue.then(() => this.answer(request));
    }
  }

  end(): void {
    if (this.done) return;
    void this.queue.then(() => this.finish());
  }

  destroy(): void {
    this.done = true;
    this.buffer = Buffer.alloc(0);
  }

  private finish(): void {
    if (this.done) return;
    this.done = true;
    this.sink.end();
  }

  /** Takes one whole request off the buffer, or undefined when more bytes are needed. */
  private next():
    | { method: string; path: string; headers: Record<string, string>; body?: string; close: boolean }
    | undefined {
    const headEnd = this.buffer.indexOf('\r\n\r\n');
    if (headEnd < 0) {
      if (this.buffer.length > MAX_HEAD_BYTES) this.giveUp();
      else if (this.buffer.length >= 16 && !/^[A-Z]+ \S/.test(this.buffer.toString('latin1', 0, 16)))
        this.giveUp();
      return undefined;
    }
    const lines = this.buffer.toString('latin1', 0, headEnd).split('\r\n');
    const m = /^([A-Z]+) (\S+) HTTP\/1\.([01])$/.exec(lines[0]!);
    if (!m) {
      this.giveUp();
      return undefined;
    }
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    if (headers['transfer-encoding']) {
      this.giveUp();
      return undefined;
    }
    const length = Number(headers['content-length'] ?? 0);
    if (!Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) {
      this.giveUp();
      return undefined;
    }
    const start = headEnd + 4;
    if (this.buffer.length < start + length) return undefined;
    const body = length ? this.buffer.toString('utf8', start, start + length) : undefined;
    this.buffer = Buffer.from(this.buffer.subarray(start + length));
    const connection = (headers.connection ?? '').toLowerCase();
    return {
      method: m[1]!,
      path: m[2]!,
      headers,
      ...(body !== undefined ? { body } : {}),
      close: connection === 'close' || (m[3] === '0' && connection !== 'keep-alive'),
    };
  }

  private giveUp(): void {
    this.opaque = true;
    this.buffer = Buffer.alloc(0);
  }

  private async answer(r: {
    method: string;
    path: string;
    headers: Record<string, string>;
    body?: string;
    close: boolean;
  }): Promise<void> {
    if (this.done) return;
    const outcome = await this.ask(r.method, r.path, r.headers, r.body);
    if (this.done) return;
    if (outcome.kind !== 'response') {
      // The socket accepted the connection but nothing answers HTTP on it: the client waits.
      this.opaque = true;
      return;
    }
    const headers = { ...outcome.headers };
    const has = (name: string) => Object.keys(headers).some((k) => k.toLowerCase() === name);
    if (!has('content-length')) headers['Content-Length'] = String(Buffer.byteLength(outcome.body));
    const head = Object.entries(headers)
      .map(([k, v]) => `${k}: ${v}\r\n`)
      .join('');
    const body = r.method === 'HEAD' ? '' : outcome.body;
    this.sink.data(Buffer.from(`HTTP/1.1 ${outcome.status} ${outcome.statusText}\r\n${head}\r\n${body}`));
    if (r.close) this.finish();
  }
}
