import type { Server } from 'node:https';
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { ApiError } from './api-error';
import { QUOTA_NAME } from '../store/object-store';

/** Per-cluster bounds on connections and streams (the API half of the cluster quota). */
export interface ApiLimits {
  /** Open TCP connections to this cluster's API. */
  connections: number;
  /** A connection that has not sent an authenticated request by then is closed. */
  authTimeoutMs: number;
  /** Concurrent watch, log, exec and attach streams. */
  streams: number;
  /** Bytes a watch or log client may fall behind before it is closed (the real cacher drops slow watchers). */
  streamBufferBytes: number;
  /** Bytes of exec/attach output queued for a client before writers are held back. */
  execHighWaterBytes: number;
  /** ... and before the session is closed because the client stopped reading. */
  execMaxBufferedBytes: number;
  /** Replicas one Deployment, ReplicaSet or StatefulSet may ask for. */
  replicasPerWorkload: number;
  /** Request bytes per second a cluster's writes may average (each request costs its body + 16 KiB). */
  writeBytesPerSecond: number;
  /** ... and in one burst. */
  writeBurstBytes: number;
}

/** The defaults of every sim cluster. */
export const DEFAULT_API_LIMITS: ApiLimits = {
  connections: 64,
  authTimeoutMs: 10_000,
  streams: 32,
  streamBufferBytes: 4 * 1024 * 1024,
  execHighWaterBytes: 256 * 1024,
  execMaxBufferedBytes: 8 * 1024 * 1024,
  replicasPerWorkload: 50,
  writeBytesPerSecond: 4 * 1024 * 1024,
  writeBurstBytes: 12 * 1024 * 1024,
};

/** What one request costs the write budget on top of its body (parsing, admission, storage). */
export const REQUEST_BASE_COST = 16 * 1024;

/**
 * A cluster's write budget, a token bucket in bytes: a learner flooding their API with big or
 * crafted bodies is answered 429 (as API Priority and Fairness answers) before the body is read, so
 * the host's event loop keeps its time for the other clusters.
 */
export class WriteBudget {
  private tokens: number;
  private at = performance.now();

  constructor(private readonly limits: Pick<ApiLimits, 'writeBytesPerSecond' | 'writeBurstBytes'>) {
    this.tokens = limits.writeBurstBytes;
  }

  /** Takes `bytes` from the budget, or throws the API server's 429 when it is spent. */
  take(bytes: number): void {
    const now = performance.now();
    this.tokens = Math.min(
      this.limits.writeBurstBytes,
      this.tokens + ((now - this.at) / 1000) * this.limits.writeBytesPerSecond,
    );
    this.at = now;
    const cost = bytes + REQUEST_BASE_COST;
    if (this.tokens < cost) {
      throw ApiError.of(
        'TooManyRequests',
        'Too many requests, please try again later.',
        { retryAfterSeconds: 1 },
        429,
      );
    }
    this.tokens -= cost;
  }
}

const AUTHENTICATED = Symbol('netlab.authenticated');

/**
 * Bounds the server's connections: at most `connections` at once (the kernel queue holds the rest
 * until Node refuses them), TLS handshakes and request headers within the auth timeout, and any
 * connection that has not made an authenticated request within it closed.
 */
export function guardConnections(server: Server, limits: ApiLimits): void {
  server.maxConnections = limits.connections;
  server.headersTimeout = limits.authTimeoutMs;
  server.requestTimeout = 60_000;
  // The TLS handshake itself is bounded by the server's `handshakeTimeout` (see ApiServer).
  server.on('secureConnection', (socket: TLSSocket) => {
    const timer = setTimeout(() => {
      if (!(socket as unknown as Record<symbol, boolean>)[AUTHENTICATED]) socket.destroy();
    }, limits.authTimeoutMs);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
}

/** Marks the connection a request came on as authenticated (so the auth timeout spares it). */
export function markAuthenticated(socket: Socket): void {
  (socket as unknown as Record<symbol, boolean>)[AUTHENTICATED] = true;
}

/** Counts a cluster's concurrent streams and refuses one past the quota with a 403. */
export class StreamQuota {
  private open = 0;
  constructor(private readonly limit: number) {}

  /** Takes a slot for a stream; the returned function gives it back (idempotent). */
  acquire(kind: string): () => void {
    if (this.open >= this.limit) {
      throw ApiError.of(
        'Forbidden',
        `${kind} is forbidden: exceeded quota: ${QUOTA_NAME}, requested: streams=1, used: streams=${this.open}, limited: streams=${this.limit}`,
        undefined,
        403,
      );
    }
    this.open++;
    let released = false;
    return () => {
      if (!released) this.open--;
      released = true;
    };
  }

  /** Streams open now. */
  get inUse(): number {
    return this.open;
  }
}
