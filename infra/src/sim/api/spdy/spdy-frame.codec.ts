import { SpdyError, SpdyErrorCode } from './spdy-error';

/** Control frame types of SPDY/3.1. */
export enum SpdyControlType {
  SYN_STREAM = 1,
  SYN_REPLY = 2,
  RST_STREAM = 3,
  SETTINGS = 4,
  PING = 6,
  GOAWAY = 7,
  HEADERS = 8,
  WINDOW_UPDATE = 9,
}

/** FLAG_FIN: the sender will send nothing more on the stream. */
export const FLAG_FIN = 0x01;
/** FLAG_UNIDIRECTIONAL on SYN_STREAM: the receiver must not send on the stream. */
export const FLAG_UNIDIRECTIONAL = 0x02;

/** RST_STREAM status codes used by the session. */
export enum SpdyRstStatus {
  PROTOCOL_ERROR = 1,
  INVALID_STREAM = 2,
  REFUSED_STREAM = 3,
  CANCEL = 5,
  INTERNAL_ERROR = 6,
  FLOW_CONTROL_ERROR = 7,
  STREAM_IN_USE = 8,
  STREAM_ALREADY_CLOSED = 9,
  FRAME_TOO_LARGE = 11,
}

/** One SPDY/3.1 frame, its header block still compressed. */
export type SpdyFrame =
  | { type: 'data'; streamId: number; flags: number; data: Buffer }
  | {
      type: 'syn_stream';
      streamId: number;
      associatedTo: number;
      priority: number;
      flags: number;
      headerBlock: Buffer;
    }
  | { type: 'syn_reply'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'headers'; streamId: number; flags: number; headerBlock: Buffer }
  | { type: 'rst_stream'; streamId: number; status: number }
  | { type: 'settings'; flags: number; entries: { flags: number; id: number; value: number }[] }
  | { type: 'ping'; id: number }
  | { type: 'goaway'; lastGoodStreamId: number; status: number }
  | { type: 'window_update'; streamId: number; delta: number };

/** Bounds of the frame reader. */
export interface SpdyFrameLimits {
  /** Largest payload of a DATA frame (SPDY allows 16 MiB; clients send 32 KiB). */
  maxDataLength: number;
  /** Largest payload of a control frame (its compressed header block included). */
  maxControlLength: number;
}

/** What the session accepts by default. */
export const DEFAULT_FRAME_LIMITS: SpdyFrameLimits = {
  maxDataLength: 1024 * 1024,
  maxControlLength: 64 * 1024,
};

const HEADER = 8;
const VERSION = 3;

/**
 * Splits a byte stream into SPDY frames. It never holds more than one frame's bytes beyond what it
 * was given (the length is checked against the limits before the payload is awaited), and parsing
 * is linear in the input.
 */
export class SpdyFrameReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly limits: SpdyFrameLimits = DEFAULT_FRAME_LIMITS) {}

  /** Bytes received but not yet a whole frame. */
  get buffered(): number {
    return this.pending.length;
  }

  /** Feeds bytes; returns the frames they complete. Throws SpdyError on a malformed frame. */
  push(chunk: Buffer): SpdyFrame[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const out: SpdyFrame[] = [];
    let at = 0;
    while (this.pending.length - at >= HEADER) {
      const control = (this.pending[at]! & 0x80) !== 0;
      const length = this.pending.readUInt32BE(at + 4) & 0xffffff;
      const max = control ? this.limits.maxControlLength : this.limits.maxDataLength;
      if (length > max)
        throw new SpdyError(
          SpdyErrorCode.FRAME_TOO_LARGE,
          `${control ? 'control' : 'data'} frame of ${length} bytes exceeds the limit of ${max}`,
        );
      if (this.pending.length - at < HEADER + length) break;
      out.push(parseFrame(this.pending.subarray(at, at + HEADER + length)));
      at += HEADER + length;
    }
    this.pending = at === 0 ? this.pending : Buffer.from(this.pending.subarray(at));
    return out;
  }
}

function parseFrame(frame: Buffer): SpdyFrame {
  const flags = frame[4]!;
  const body = frame.subarray(HEADER);
  if ((frame[0]! & 0x80) === 0) {
    const streamId = frame.readUInt32BE(0) & 0x7fffffff;
    if (streamId === 0) throw protocol('DATA frame on stream 0');
    return { type: 'data', streamId, flags, data: Buffer.from(body) };
  }
  const version = frame.readUInt16BE(0) & 0x7fff;
  if (version !== VERSION)
    throw new SpdyError(SpdyErrorCode.UNSUPPORTED_VERSION, `SPDY version ${version} is not supported`);
  const type = frame.readUInt16BE(2);
  const need = (n: number, what: string) => {
    if (body.length < n) throw protocol(`${what} frame of ${body.length} bytes is too short`);
  };
  const streamOf = (what: string) => {
    const id = body.readUInt32BE(0) & 0x7fffffff;
    if (id === 0) throw protocol(`${what} on stream 0`);
    return id;
  };
  switch (type as SpdyControlType) {
    case SpdyControlType.SYN_STREAM:
      need(10, 'SYN_STREAM');
      return {
        type: 'syn_stream',
        streamId: streamOf('SYN_STREAM'),
        associatedTo: body.readUInt32BE(4) & 0x7fffffff,
        priority: body[8]! >> 5,
        flags,
        headerBlock: Buffer.from(body.subarray(10)),
      };
    case SpdyControlType.SYN_REPLY:
    case SpdyControlType.HEADERS: {
      const what = type === SpdyControlType.SYN_REPLY ? 'SYN_REPLY' : 'HEADERS';
      need(4, what);
      return {
        type: type === SpdyControlType.SYN_REPLY ? 'syn_reply' : 'headers',
        streamId: streamOf(what),
        flags,
        headerBlock: Buffer.from(body.subarray(4)),
      };
    }
    case SpdyControlType.RST_STREAM:
      exact(body, 8, 'RST_STREAM');
      return { type: 'rst_stream', streamId: streamOf('RST_STREAM'), status: body.readUInt32BE(4) };
    case SpdyControlType.SETTINGS: {
      need(4, 'SETTINGS');
      const count = body.readUInt32BE(0);
      if (body.length !== 4 + count * 8)
        throw protocol(`SETTINGS frame length does not match ${count} entries`);
      const entries = [];
      for (let i = 0; i < count; i++) {
        const at = 4 + i * 8;
        entries.push({
          flags: body[at]!,
          id: body.readUInt32BE(at) & 0xffffff,
          value: body.readUInt32BE(at + 4),
        });
      }
      return { type: 'settings', flags, entries };
    }
    case SpdyControlType.PING:
      exact(body, 4, 'PING');
      return { type: 'ping', id: body.readUInt32BE(0) };
    case SpdyControlType.GOAWAY:
      exact(body, 8, 'GOAWAY');
      return {
        type: 'goaway',
        lastGoodStreamId: body.readUInt32BE(0) & 0x7fffffff,
        status: body.readUInt32BE(4),
      };
    case SpdyControlType.WINDOW_UPDATE:
      exact(body, 8, 'WINDOW_UPDATE');
      return {
        type: 'window_update',
        streamId: body.readUInt32BE(0) & 0x7fffffff,
        delta: body.readUInt32BE(4) & 0x7fffffff,
      };
    default:
      throw protocol(`unknown control frame type ${type}`);
  }
}

function exact(body: Buffer, n: number, what: string): void {
  if (body.length !== n) throw protocol(`${what} frame must be ${n} bytes, got ${body.length}`);
}

function protocol(message: string): SpdyError {
  return new SpdyError(SpdyErrorCode.PROTOCOL_ERROR, message);
}

function control(type: SpdyControlType, flags: number, body: Buffer): Buffer {
  const head = Buffer.alloc(HEADER);
  head.writeUInt16BE(0x8000 | VERSION, 0);
  head.writeUInt16BE(type, 2);
  head.writeUInt32BE((((flags & 0xff) << 24) | body.length) >>> 0, 4);
  return Buffer.concat([head, body]);
}

function words(...values: number[]): Buffer {
  const b = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => b.writeUInt32BE(v >>> 0, i * 4));
  return b;
}

/** Serialises a frame (header blocks must already be compressed). */
export function encodeFrame(frame: SpdyFrame): Buffer {
  switch (frame.type) {
    case 'data': {
      if (frame.data.length > 0xffffff) throw protocol('DATA frame payload exceeds 16 MiB');
      const head = Buffer.alloc(HEADER);
      head.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
      head.writeUInt32BE((((frame.flags & 0xff) << 24) | frame.data.length) >>> 0, 4);
      return Buffer.concat([head, frame.data]);
    }
    case 'syn_stream': {
      const fixed = Buffer.alloc(10);
      fixed.writeUInt32BE(frame.streamId & 0x7fffffff, 0);
      fixed.writeUInt32BE(frame.associatedTo & 0x7fffffff, 4);
      fixed[8] = (frame.priority & 0x7) << 5;
      return control(SpdyControlType.SYN_STREAM, frame.flags, Buffer.concat([fixed, frame.headerBlock]));
    }
    case 'syn_reply':
    case 'headers':
      return control(
        frame.type === 'syn_reply' ? SpdyControlType.SYN_REPLY : SpdyControlType.HEADERS,
        frame.flags,
        Buffer.concat([words(frame.streamId & 0x7fffffff), frame.headerBlock]),
      );
    case 'rst_stream':
      return control(SpdyControlType.RST_STREAM, 0, words(frame.streamId & 0x7fffffff, frame.status));
    case 'settings': {
      const body = Buffer.alloc(4 + frame.entries.length * 8);
      body.writeUInt32BE(frame.entries.length, 0);
      frame.entries.forEach((e, i) => {
        body.writeUInt32BE((((e.flags & 0xff) << 24) | (e.id & 0xffffff)) >>> 0, 4 + i * 8);
        body.writeUInt32BE(e.value >>> 0, 8 + i * 8);
      });
      return control(SpdyControlType.SETTINGS, frame.flags, body);
    }
    case 'ping':
      return control(SpdyControlType.PING, 0, words(frame.id));
    case 'goaway':
      return control(SpdyControlType.GOAWAY, 0, words(frame.lastGoodStreamId & 0x7fffffff, frame.status));
    case 'window_update':
      return control(
        SpdyControlType.WINDOW_UPDATE,
        0,
        words(frame.streamId & 0x7fffffff, frame.delta & 0x7fffffff),
      );
  }
}
