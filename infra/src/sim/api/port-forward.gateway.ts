import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  PortForwardError,
  type ContainerRuntime,
  type PortForwardConnection,
} from '../runtime/container-runtime';
import type { StoredObject } from '../store/object-store';
import { ApiError } from './api-error';
import { KubeletError } from './stream-handler';
import { SpdyRstStatus } from './spdy/spdy-frame.codec';
import {
  DEFAULT_SESSION_LIMITS,
  SpdySession,
  type SpdySessionLimits,
  type SpdyStream,
  type SpdyTransport,
} from './spdy/spdy-session';

/** kubectl 1.31+: SPDY/3.1 frames tunnelled in WebSocket binary messages. */
export const SPDY_TUNNEL_PROTOCOL = 'SPDY/3.1+portforward.k8s.io';
/**
 * `/` is not a token character, so ws refuses `SPDY/3.1+…` in Sec-WebSocket-Protocol (Go's server
 * accepts it): the offer is renamed to this token before the handshake and answered with the real name.
 */
const SPDY_TUNNEL_TOKEN = 'netlab-spdy-3.1-portforward';
/** The port-forward protocol kubectl negotiates (`X-Stream-Protocol-Version`). */
export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
/** Plain WebSocket port-forward (client-node): channel 2i data and 2i+1 error per port. */
const CHANNEL_PROTOCOLS = ['v4.channel.k8s.io', PORT_FORWARD_PROTOCOL, 'channel.k8s.io'];

/**
 * `pods/NAME/portforward` over the three protocols clients use: a raw `Upgrade: SPDY/3.1` (kubectl
 * ≤ 1.30), SPDY tunnelled in a WebSocket (kubectl 1.31+), and the channel WebSocket (client-node).
 * Every forwarded connection goes to the pod's localhost through the runtime, as the kubelet's does.
 */
export class PortForwardGateway {
  private readonly wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: DEFAULT_SESSION_LIMITS.maxDataLength + 64,
    handleProtocols: (offered) =>
      offered.has(SPDY_TUNNEL_TOKEN)
        ? SPDY_TUNNEL_PROTOCOL
        : (CHANNEL_PROTOCOLS.find((p) => offered.has(p)) ?? false),
  });
  private readonly live = new Set<() => void>();

  constructor(
    private readonly runtime: () => ContainerRuntime | undefined,
    private readonly limits: SpdySessionLimits = DEFAULT_SESSION_LIMITS,
  ) {}

  /** Upgrades the request; throws ApiError/KubeletError before upgrading when it cannot. */
  upgrade(
    req: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    pod: StoredObject,
    query: URLSearchParams,
    done: () => void,
  ): void {
    const runtime = this.runtime();
    if (!runtime?.portForward) throw new KubeletError(`pod ${pod.metadata.name} is not running`);
    const target = { namespace: pod.metadata.namespace!, pod: pod.metadata.name };
    const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
    if (upgrade === 'websocket') {
      const offered = req.headers['sec-websocket-protocol'];
      if (offered?.includes(SPDY_TUNNEL_PROTOCOL))
        req.headers['sec-websocket-protocol'] = offered.replaceAll(SPDY_TUNNEL_PROTOCOL, SPDY_TUNNEL_TOKEN);
      this.wss.handleUpgrade(req, socket, head, (ws) => {
        ws.once('close', done);
        if (ws.protocol === SPDY_TUNNEL_PROTOCOL) this.spdy(wsTransport(ws), ws, runtime, target);
        else this.channels(ws, runtime, target, query);
      });
      return;
    }
    if (upgrade.startsWith('spdy/3')) {
      const offered = String(req.headers['x-stream-protocol-version'] ?? '')
        .split(',')
        .map((p) => p.trim());
      if (!offered.includes(PORT_FORWARD_PROTOCOL))
        throw ApiError.badRequest(
          `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(offered)}, server supports [${PORT_FORWARD_PROTOCOL}]`,
        );
      socket.write(
        `HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`,
      );
      socket.once('close', done);
      const session = this.spdy(socketTransport(socket), socket, runtime, target);
      if (head.length) session.receive(head);
      return;
    }
    throw ApiError.badRequest('Upgrade request required');
  }

  /** Closes every session. */
  close(): void {
    for (const stop of [...this.live]) stop();
    this.wss.close();
  }

  private spdy(
    transport: Transport,
    source: Duplex | WebSocket,
    runtime: ContainerRuntime,
    target: { namespace: string; pod: string },
  ): SpdySession {
    const pairs = new Map<string, { error?: SpdyStream; data?: SpdyStream }>();
    const stop = () => {
      session.transportClosed();
      if ('terminate' in source) source.terminate();
      else source.destroy();
    };
    const session = new SpdySession(
      transport,
      (stream) => {
        const type = stream.header('streamtype');
        const id = stream.header('requestid') ?? '';
        if ((type !== 'error' && type !== 'data') || !id) return stream.reset(SpdyRstStatus.PROTOCOL_ERROR);
        const pair = pairs.get(id) ?? {};
        if (pair[type]) return stream.reset(SpdyRstStatus.STREAM_IN_USE);
        pair[type] = stream;
        if (!pair.error || !pair.data) {
          // Bounded by the session's stream limit: each waiting half holds a stream slot until its
          // partner comes or the client resets it.
          pairs.set(id, pair);
          stream.onReset(() => {
            if (pairs.get(id)?.[type] === stream) pairs.delete(id);
          });
          return;
        }
        pairs.delete(id);
        forward(runtime, target, pair.error, pair.data);
      },
      this.limits,
      () => this.live.delete(stop),
    );
    this.live.add(stop);
    transport.onBytes((b) => session.receive(b));
    transport.onClose(() => stop());
    return session;
  }

  private channels(
    ws: WebSocket,
    runtime: ContainerRuntime,
    target: { namespace: string; pod: string },
    query: URLSearchParams,
  ): void {
    const ports = query
      .getAll('ports')
      .flatMap((p) => p.split(','))
      .filter(Boolean)
      .map((p) => Number(p));
    const stop = () => ws.terminate();
    this.live.add(stop);
    ws.once('close', () => this.live.delete(stop));
    const send = (channel: number, bytes: Buffer) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > this.limits.maxBufferedBytes) return ws.terminate();
      ws.send(Buffer.concat([Buffer.from([channel]), bytes]));
    };
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      send(
        1,
        Buffer.from(
          `query parameter "port" is required and must be 1-65535, got ${JSON.stringify(query.getAll('ports'))}`,
        ),
      );
      ws.close(1000);
      return;
    }
    const conns: (PortForwardConnection | undefined)[] = [];
    let open = ports.length;
    const closed = () => {
      if (--open === 0) ws.close(1000);
    };
    ports.forEach((port, i) => {
      const portBytes = Buffer.alloc(2);
      portBytes.writeUInt16LE(port);
      send(2 * i, portBytes);
      send(2 * i + 1, portBytes);
      try {
        conns[i] = runtime.portForward!(target, port, {
          data: (b) => send(2 * i, b),
          end: closed,
        });
      } catch (e) {
        send(2 * i + 1, Buffer.from(errorText(e)));
        closed();
      }
    });
    ws.on('message', (data: Buffer) => {
      if (data.length === 0) return;
      const ch = data[0]!;
      if (ch % 2 === 0) conns[ch / 2]?.write(data.subarray(1));
    });
    ws.once('close', () => conns.forEach((c) => c?.destroy()));
  }
}

function errorText(e: unknown): string {
  return e instanceof PortForwardError
    ? e.message
    : `error forwarding port: ${String((e as Error)?.message ?? e)}`;
}

/** One forwarded connection: the kubelet pairs an error and a data stream by requestID. */
function forward(
  runtime: ContainerRuntime,
  target: { namespace: string; pod: string },
  errorStream: SpdyStream,
  dataStream: SpdyStream,
): void {
  const port = Number(dataStream.header('port'));
  const finish = () => {
    errorStream.end();
    dataStream.end();
  };
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    errorStream.write(Buffer.from(`invalid port: ${JSON.stringify(dataStream.header('port') ?? '')}`));
    return finish();
  }
  let conn: PortForwardConnection;
  try {
    conn = runtime.portForward!(target, port, { data: (b) => dataStream.write(b), end: finish });
  } catch (e) {
    errorStream.write(Buffer.from(errorText(e)));
    return finish();
  }
  dataStream.onData((b) => conn.write(b));
  dataStream.onEnd(() => conn.end());
  dataStream.onReset(() => conn.destroy());
  errorStream.onReset(() => conn.destroy());
}

type Transport = SpdyTransport & {
  onBytes(fn: (b: Buffer) => void): void;
  onClose(fn: () => void): void;
};

function socketTransport(socket: Duplex): Transport {
  return {
    write: (b) => void socket.write(b),
    get buffered() {
      return socket.writableLength;
    },
    pause: () => void socket.pause(),
    resume: () => void socket.resume(),
    end: () => void socket.end(),
    onBytes: (fn) => void socket.on('data', fn),
    onClose: (fn) => {
      socket.once('close', fn);
      socket.once('error', fn);
    },
  };
}

function wsTransport(ws: WebSocket): Transport {
  return {
    write: (b) => {
      if (ws.readyState === ws.OPEN) ws.send(b);
    },
    get buffered() {
      return ws.bufferedAmount;
    },
    pause: () => ws.pause(),
    resume: () => ws.resume(),
    end: () => ws.close(1000),
    onBytes: (fn) => void ws.on('message', (data: Buffer) => fn(data)),
    onClose: (fn) => void ws.once('close', fn),
  };
}
