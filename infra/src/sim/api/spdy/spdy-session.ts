import {
  DEFAULT_FRAME_LIMITS,
  encodeFrame,
  FLAG_FIN,
  FLAG_UNIDIRECTIONAL,
  SpdyFrameReader,
  SpdyRstStatus,
  type SpdyFrame,
  type SpdyFrameLimits,
} from './spdy-frame.codec';
import { SpdyError } from './spdy-error';
import {
  DEFAULT_HEADER_LIMITS,
  SpdyHeaderDeflater,
  SpdyHeaderInflater,
  type SpdyHeaderLimits,
  type SpdyHeaders,
} from './spdy-header-block';

/** The byte pipe a session runs over: a raw upgraded socket, or a WebSocket tunnel. */
export interface SpdyTransport {
  write(bytes: Buffer): void;
  /** Bytes written but not yet sent to the peer. */
  readonly buffered: number;
  pause(): void;
  resume(): void;
  /** Ends the pipe after what was written. */
  end(): void;
}

/** Bounds of one session. */
export interface SpdySessionLimits extends SpdyFrameLimits, SpdyHeaderLimits {
  /** Streams open at once (kubectl opens two per forwarded connection). */
  maxStreams: number;
  /** Frames read but not yet handled before the transport is paused. */
  maxPendingFrames: number;
  /** Bytes queued for a peer that stopped reading before the session is dropped. */
  maxBufferedBytes: number;
}

/** What a port-forward session accepts by default. */
export const DEFAULT_SESSION_LIMITS: SpdySessionLimits = {
  ...DEFAULT_FRAME_LIMITS,
  ...DEFAULT_HEADER_LIMITS,
  maxStreams: 64,
  maxPendingFrames: 64,
  maxBufferedBytes: 8 * 1024 * 1024,
};

/** Largest DATA frame the session sends (what Go's io.Copy writes at a time). */
const SEND_CHUNK = 32 * 1024;

/** A stream the peer opened, as the server sees it. */
export class SpdyStream {
  /** The peer finished sending (FIN) or reset the stream. */
  remoteEnded = false;
  /** This side finished sending. */
  localEnded = false;
  private onDataFn: (b: Buffer) => void = () => undefined;
  private onEndFn: () => void = () => undefined;
  private onResetFn: () => void = () => undefined;

  constructor(
    private readonly session: SpdySession,
    readonly id: number,
    readonly headers: SpdyHeaders,
    unidirectional: boolean,
  ) {
    this.localEnded = unidirectional;
  }

  /** The first value of a header, or undefined. */
  header(name: string): string | undefined {
    return this.headers[name]?.[0];
  }

  /** Data from the peer. */
  onData(fn: (b: Buffer) => void): void {
    this.onDataFn = fn;
  }

  /** The peer will send nothing more. */
  onEnd(fn: () => void): void {
    this.onEndFn = fn;
  }

  /** The peer reset the stream or the session closed under it. */
  onReset(fn: () => void): void {
    this.onResetFn = fn;
  }

  /** Sends data to the peer. */
  write(data: Buffer): void {
    if (this.localEnded) return;
    for (let at = 0; at < data.length; at += SEND_CHUNK)
      this.session.send({
        type: 'data',
        streamId: this.id,
        flags: 0,
        data: data.subarray(at, at + SEND_CHUNK),
      });
  }

  /** Half-closes the stream (DATA with FIN). */
  end(): void {
    if (this.localEnded) return;
    this.localEnded = true;
    this.session.send({ type: 'data', streamId: this.id, flags: FLAG_FIN, data: Buffer.alloc(0) });
    this.session.settle(this);
  }

  /** Aborts the stream (RST_STREAM CANCEL). */
  reset(status = SpdyRstStatus.CANCEL): void {
    if (this.localEnded && this.remoteEnded) return;
    this.localEnded = this.remoteEnded = true;
    this.session.send({ type: 'rst_stream', streamId: this.id, status });
    this.session.settle(this);
  }

  /** @internal */
  receive(data: Buffer, fin: boolean): void {
    if (this.remoteEnded) return;
    if (data.length) this.onDataFn(data);
    if (fin) {
      this.remoteEnded = true;
      this.onEndFn();
      this.session.settle(this);
    }
  }

  /** @internal */
  aborted(): void {
    const wasOpen = !this.remoteEnded || !this.localEnded;
    this.remoteEnded = this.localEnded = true;
    if (wasOpen) this.onResetFn();
  }
}

/**
 * The server side of a SPDY/3.1 session (the kubelet's role in `kubectl port-forward`): accepts the
 * streams the client opens (answering each with SYN_REPLY), carries their data, answers PINGs, and
 * ends on GOAWAY or a protocol error. Streams are handed to `onStream` once their headers are read.
 */
export class SpdySession {
  private readonly reader: SpdyFrameReader;
  private readonly inflater: SpdyHeaderInflater;
  private readonly deflater = new SpdyHeaderDeflater();
  private readonly streams = new Map<number, SpdyStream>();
  private inbox: Promise<void> = Promise.resolve();
  private pendingFrames = 0;
  private paused = false;
  private lastStreamId = 0;
  private outbox: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly transport: SpdyTransport,
    private readonly onStream: (stream: SpdyStream) => void,
    private readonly limits: SpdySessionLimits = DEFAULT_SESSION_LIMITS,
    private readonly onClose: () => void = () => undefined,
  ) {
    this.reader = new SpdyFrameReader(limits);
    this.inflater = new SpdyHeaderInflater(limits);
  }

  /** Streams open now. */
  get openStreams(): number {
    return this.streams.size;
  }

  /** Feeds bytes from the transport. */
  receive(chunk: Buffer): void {
    if (this.closed) return;
    let frames: SpdyFrame[];
    try {
      frames = this.reader.push(chunk);
    } catch (e) {
      this.fail(e);
      return;
    }
    for (const frame of frames) {
      this.pendingFrames++;
      this.inbox = this.inbox.then(async () => {
        try {
          if (!this.closed) await this.handle(frame);
        } catch (e) {
          this.fail(e);
        } finally {
          this.pendingFrames--;
          if (this.paused && this.pendingFrames < this.limits.maxPendingFrames / 2) {
            this.paused = false;
            this.transport.resume();
          }
        }
      });
    }
    if (!this.paused && this.pendingFrames >= this.limits.maxPendingFrames) {
      this.paused = true;
      this.transport.pause();
    }
  }

  /** The transport closed: every stream is aborted. */
  transportClosed(): void {
    this.shutdown();
  }

  /** Queues a frame for the peer, after any reply still being compressed. */
  send(frame: SpdyFrame): void {
    if (this.closed) return;
    this.enqueue(Promise.resolve(encodeFrame(frame)));
  }

  /** Drops a stream once both sides have ended it. */
  settle(stream: SpdyStream): void {
    if (stream.localEnded && stream.remoteEnded) this.streams.delete(stream.id);
  }

  /** Sends GOAWAY and ends the transport. */
  close(status = 0): void {
    if (this.closed) return;
    this.send({ type: 'goaway', lastGoodStreamId: this.lastStreamId, status });
    const out = this.outbox;
    this.shutdown();
    void out.then(() => this.transport.end());
  }

  private enqueue(bytes: Promise<Buffer>): void {
    this.outbox = this.outbox.then(async () => {
      const b = await bytes;
      if (this.transport.buffered + b.length > this.limits.maxBufferedBytes) {
        // The peer stopped reading: drop the session rather than queue without bound.
        this.shutdown();
        this.transport.end();
        return;
      }
      this.transport.write(b);
    });
  }

  private async handle(frame: SpdyFrame): Promise<void> {
    switch (frame.type) {
      case 'syn_stream':
        return this.synStream(frame);
      case 'data': {
        const stream = this.streams.get(frame.streamId);
        if (!stream || stream.remoteEnded) {
          this.send({ type: 'rst_stream', streamId: frame.streamId, status: SpdyRstStatus.INVALID_STREAM });
          return;
        }
        stream.receive(frame.data, (frame.flags & FLAG_FIN) !== 0);
        return;
      }
      case 'rst_stream': {
        const stream = this.streams.get(frame.streamId);
        if (stream) {
          this.streams.delete(frame.streamId);
          stream.aborted();
        }
        return;
      }
      case 'headers':
        // Headers after the reply carry nothing port-forward uses, but they advance the zlib stream.
        await this.inflater.decode(frame.headerBlock);
        if (frame.flags & FLAG_FIN) this.streams.get(frame.streamId)?.receive(Buffer.alloc(0), true);
        return;
      case 'syn_reply':
        // The client never answers a stream here (the server opens none), but keep the zlib stream in step.
        await this.inflater.decode(frame.headerBlock);
        return;
      case 'ping':
        // Echo the peer's pings (odd IDs from a client); ours would be even and we send none.
        if (frame.id % 2 === 1) this.send(frame);
        return;
      case 'goaway':
        this.close();
        return;
      case 'settings':
      case 'window_update':
        // spdystream (kubectl's side) does no flow control; nothing to adjust.
        return;
    }
  }

  private async synStream(frame: Extract<SpdyFrame, { type: 'syn_stream' }>): Promise<void> {
    const headers = await this.inflater.decode(frame.headerBlock);
    const id = frame.streamId;
    if (id % 2 === 0 || id <= this.lastStreamId) {
      this.send({ type: 'rst_stream', streamId: id, status: SpdyRstStatus.PROTOCOL_ERROR });
      return;
    }
    this.lastStreamId = id;
    if (this.streams.size >= this.limits.maxStreams) {
      this.send({ type: 'rst_stream', streamId: id, status: SpdyRstStatus.REFUSED_STREAM });
      return;
    }
    const stream = new SpdyStream(this, id, headers, (frame.flags & FLAG_UNIDIRECTIONAL) !== 0);
    this.streams.set(id, stream);
    this.enqueue(
      this.deflater
        .encode({})
        .then((block) => encodeFrame({ type: 'syn_reply', streamId: id, flags: 0, headerBlock: block })),
    );
    if (frame.flags & FLAG_FIN) stream.receive(Buffer.alloc(0), true);
    this.onStream(stream);
  }

  private fail(e: unknown): void {
    if (this.closed) return;
    // A framing error loses the zlib streams' sync: the session cannot go on (SPDY's GOAWAY PROTOCOL_ERROR).
    this.close(e instanceof SpdyError ? 1 : 2);
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const s of this.streams.values()) s.aborted();
    this.streams.clear();
    this.inflater.close();
    // A reply may still be compressing: free the deflater once the queued frames are out.
    void this.outbox.then(() => this.deflater.close());
    this.onClose();
  }
}
