import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { PassThrough, Writable } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ContainerRuntime, ContainerTarget, TerminalSize } from '../runtime/container-runtime';
import type { ObjectStore, StoredObject } from '../store/object-store';
import { arr, rec } from '../registry/printer-helpers';
import { ApiError, toStatus } from './api-error';
import { parseResizeMessage } from '../runtime/terminal-size';
import { DEFAULT_API_LIMITS, type ApiLimits } from './api-limits';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io', 'channel.k8s.io'];

/** A refusal the kubelet words in plain text (kubectl shows it after "unable to upgrade connection: "). */
export class KubeletError extends Error {}

/** Which container of a pod a log/exec/attach request means, or the API server's error. */
export function resolveContainer(pod: StoredObject, requested: string | null, verb: string): string {
  const spec = rec(pod, 'spec');
  const all = [
    ...arr(spec, 'containers'),
    ...arr(spec, 'initContainers'),
    ...arr(spec, 'ephemeralContainers'),
  ];
  const names = all.map((c) => String(c.name));
  if (requested) {
    if (!names.includes(requested)) {
      throw ApiError.badRequest(`container ${requested} is not valid for pod ${pod.metadata.name}`);
    }
    return requested;
  }
  const containers = arr(spec, 'containers');
  if (containers.length === 1) return String(containers[0]!.name);
  throw ApiError.badRequest(
    `a container name must be specified for pod ${pod.metadata.name}, choose one of: [${containers.map((c) => String(c.name)).join(' ')}]${
      verb === 'log' && arr(spec, 'initContainers').length
        ? ` or one of the init containers: [${arr(spec, 'initContainers')
            .map((c) => String(c.name))
            .join(' ')}]`
        : ''
    }`,
  );
}

/** `GET …/pods/x/log`: plain text; with `follow=true` the chunked response stays open. */
export async function serveLogs(
  runtime: ContainerRuntime | undefined,
  pod: StoredObject,
  req: IncomingMessage,
  res: ServerResponse,
  query: URLSearchParams,
  limits: Pick<ApiLimits, 'streamBufferBytes'> = DEFAULT_API_LIMITS,
): Promise<void> {
  const container = resolveContainer(pod, query.get('container'), 'log');
  if (!runtime)
    throw ApiError.badRequest(
      `container "${container}" in pod "${pod.metadata.name}" is waiting to start: ContainerCreating`,
    );
  const abort = new AbortController();
  req.on('close', () => abort.abort());
  const tail = query.get('tailLines');
  const since = query.get('sinceSeconds');
  const lines = runtime.logs(target(pod, container), {
    follow: query.get('follow') === 'true',
    previous: query.get('previous') === 'true',
    timestamps: query.get('timestamps') === 'true',
    ...(tail !== null ? { tailLines: Number(tail) } : {}),
    ...(since !== null ? { sinceSeconds: Number(since) } : {}),
    signal: abort.signal,
  });
  const iterator = lines[Symbol.asyncIterator]();
  let first: IteratorResult<string>;
  try {
    first = await iterator.next();
  } catch (e) {
    throw e instanceof ApiError ? e : ApiError.of('BadRequest', toStatus(e).message ?? String(e));
  }
  res.writeHead(200, {
    'Content-Type': 'text/plain',
    'Cache-Control': 'no-cache, private',
    'Transfer-Encoding': 'chunked',
  });
  res.flushHeaders();
  const write = (line: string): void => {
    res.write(line.endsWith('\n') ? line : `${line}\n`);
  };
  try {
    for (let r = first; !r.done; r = await iterator.next()) {
      if (abort.signal.aborted) break;
      // Keep pulling (so the source never queues for us) but close a client that stopped reading.
      if (res.writableLength > limits.streamBufferBytes) {
        abort.abort();
        res.destroy();
        return;
      }
      write(r.value);
    }
  } catch {
    // The client went away or the container stopped: end the stream as the kubelet does.
  }
  res.end();
}

function target(pod: StoredObject, container: string): ContainerTarget {
  return { namespace: pod.metadata.namespace!, pod: pod.metadata.name, container };
}

/**
 * exec and attach over WebSocket (`v5.channel.k8s.io`): channel 0 stdin (EOF as `[255,0]`), 1 stdout,
 * 2 stderr, 3 the final Status, 4 resize. Pings are answered by `ws`; the session ends with the
 * status and a Close 1000.
 */
export class ExecGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });

  constructor(
    private readonly store: ObjectStore,
    private readonly runtime: () => ContainerRuntime | undefined,
    private readonly limits: Pick<
      ApiLimits,
      'execHighWaterBytes' | 'execMaxBufferedBytes'
    > = DEFAULT_API_LIMITS,
  ) {}

  /** Checks the request (pod, container, protocol) and upgrades it; throws ApiError before upgrading. */
  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pod: StoredObject,
    kind: 'exec' | 'attach',
    query: URLSearchParams,
  ): void {
    const container = resolveContainer(pod, query.get('container'), kind);
    const command = query.getAll('command');
    if (kind === 'exec' && command.length === 0)
      throw ApiError.badRequest('you must specify at least 1 command');
    const runtime = this.runtime();
    if (!runtime || rec(pod, 'status').phase !== 'Running') {
      // The kubelet answers this in plain text; kubectl prefixes "unable to upgrade connection: ".
      throw new KubeletError(`container not found ("${container}")`);
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      void this.session(ws, runtime, target(pod, container), kind, command, query);
    });
  }

  private async session(
    ws: WebSocket,
    runtime: ContainerRuntime,
    t: ContainerTarget,
    kind: 'exec' | 'attach',
    command: string[],
    query: URLSearchParams,
  ): Promise<void> {
    const v5 = ws.protocol === 'v5.channel.k8s.io';
    const tty = query.get('tty') === 'true';
    const wantStdin = query.get('stdin') === 'true';
    const abort = new AbortController();
    const stdin = wantStdin ? new PassThrough() : undefined;
    const resizeListeners = new Set<(size: TerminalSize) => void>();
    const { execHighWaterBytes, execMaxBufferedBytes } = this.limits;
    const channel = (n: number): Writable =>
      new Writable({
        highWaterMark: execHighWaterBytes,
        // ws queues sends in order, so completing at once keeps stdout ahead of the final status.
        // Past the high-water mark the callback waits for the socket, so writers that honour
        // backpressure (pipes, the toolbox's process) slow down; one that ignores it and lets the
        // queue pass the maximum is cut off with the session.
        write(chunk: Buffer, _enc, cb) {
          if (ws.readyState !== ws.OPEN) return cb();
          if (ws.bufferedAmount + this.writableLength > execMaxBufferedBytes) {
            abort.abort();
            ws.terminate();
            return cb();
          }
          const frame = Buffer.concat([Buffer.from([n]), Buffer.from(chunk)]);
          if (ws.bufferedAmount < execHighWaterBytes) {
            ws.send(frame);
            cb();
          } else ws.send(frame, () => cb());
        },
      });
    ws.on('message', (data: Buffer, isBinary) => {
      const buf = isBinary ? data : Buffer.from(data.toString(), 'utf8');
      if (buf.length === 0) return;
      const ch = buf[0]!;
      const payload = buf.subarray(1);
      if (ch === 0 && stdin && !stdin.writableEnded) {
        // A process that does not read its stdin holds the client back instead of filling memory.
        if (!stdin.write(payload)) {
          ws.pause();
          stdin.once('drain', () => ws.resume());
        }
      } else if (ch === 4) {
        // A malformed resize message is ignored, as the kubelet does.
        const s = parseResizeMessage(payload);
        if (s) for (const l of resizeListeners) l(s);
      } else if (ch === 255 && payload[0] === 0 && stdin) stdin.end();
    });
    ws.on('close', () => {
      abort.abort();
      stdin?.end();
    });
    const io = {
      ...(stdin ? { stdin } : {}),
      stdout: channel(1),
      ...(!tty && query.get('stderr') !== 'false' ? { stderr: channel(2) } : {}),
      tty,
      onResize: (l: (size: TerminalSize) => void) => {
        resizeListeners.add(l);
        return () => resizeListeners.delete(l);
      },
      signal: abort.signal,
    };
    let status: object;
    try {
      const code = kind === 'exec' ? await runtime.exec(t, command, io) : await runtime.attach(t, io);
      status = !code
        ? { metadata: {}, status: 'Success' }
        : {
            metadata: {},
            status: 'Failure',
            message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
            reason: 'NonZeroExitCode',
            details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
          };
    } catch (e) {
      const s = toStatus(e);
      status = { metadata: {}, status: 'Failure', message: s.message, reason: s.reason, code: s.code };
    }
    if (ws.readyState !== ws.OPEN) return;
    ws.send(Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify(status))]), () => {
      if (v5) ws.close(1000);
      else ws.close(1000);
    });
  }

  /** Closes every session. */
  close(): void {
    for (const c of this.wss.clients) c.terminate();
    this.wss.close();
  }
}
