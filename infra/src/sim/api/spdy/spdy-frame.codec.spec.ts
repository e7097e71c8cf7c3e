import { describe, expect, it } from 'vitest';
import { encodeFrame, FLAG_FIN, SpdyFrameReader, type SpdyFrame } from './spdy-frame.codec';
import type { SpdyError } from './spdy-error';
import { SpdyErrorCode } from './spdy-error';

const frames: SpdyFrame[] = [
  { type: 'data', streamId: 1, flags: FLAG_FIN, data: Buffer.from('hello') },
  {
    type: 'syn_stream',
    streamId: 3,
    associatedTo: 0,
    priority: 7,
    flags: 0,
    headerBlock: Buffer.from([1, 2]),
  },
  { type: 'syn_reply', streamId: 3, flags: 0, headerBlock: Buffer.from([9]) },
  { type: 'headers', streamId: 5, flags: FLAG_FIN, headerBlock: Buffer.alloc(0) },
  { type: 'rst_stream', streamId: 7, status: 5 },
  { type: 'settings', flags: 1, entries: [{ flags: 1, id: 7, value: 65536 }] },
  { type: 'ping', id: 1 },
  { type: 'goaway', lastGoodStreamId: 9, status: 0 },
  { type: 'window_update', streamId: 1, delta: 4096 },
];

describe(SpdyFrameReader.name, () => {
  it.each(frames.map((f) => [f.type, f] as const))(
    'should read back a %s frame when it was encoded',
    (_, frame) => {
      const sut = new SpdyFrameReader();
      expect(sut.push(encodeFrame(frame))).toEqual([frame]);
    },
  );

  it('should return frames only once their last byte arrives when bytes come one at a time', () => {
    const sut = new SpdyFrameReader();
    const bytes = Buffer.concat(frames.map(encodeFrame));
    const got: SpdyFrame[] = [];
    for (const b of bytes) got.push(...sut.push(Buffer.from([b])));
    expect(got).toEqual(frames);
    expect(sut.buffered).toBe(0);
  });

  it('should refuse a frame longer than the limit when only its header has arrived', () => {
    const sut = new SpdyFrameReader({ maxDataLength: 10, maxControlLength: 10 });
    const head = encodeFrame({ type: 'data', streamId: 1, flags: 0, data: Buffer.alloc(11) }).subarray(0, 8);
    expect(() => sut.push(head)).toThrow(
      expect.objectContaining({ code: SpdyErrorCode.FRAME_TOO_LARGE }) as SpdyError,
    );
  });

  it('should refuse a control frame when its version is not 3', () => {
    const frame = encodeFrame({ type: 'ping', id: 1 });
    frame.writeUInt16BE(0x8002, 0);
    expect(() => new SpdyFrameReader().push(frame)).toThrow('SPDY version 2 is not supported');
  });

  it('should refuse a frame when its fixed fields do not fit its length', () => {
    const ping = encodeFrame({ type: 'ping', id: 1 });
    const short = Buffer.concat([ping.subarray(0, 7), Buffer.from([3]), ping.subarray(8, 11)]);
    expect(() => new SpdyFrameReader().push(short)).toThrow('PING frame must be 4 bytes, got 3');
  });

  it('should refuse a DATA frame when it is on stream 0', () => {
    const frame = encodeFrame({ type: 'data', streamId: 1, flags: 0, data: Buffer.alloc(0) });
    frame.writeUInt32BE(0, 0);
    expect(() => new SpdyFrameReader().push(frame)).toThrow('DATA frame on stream 0');
  });

  it('should refuse an unknown control type when one arrives', () => {
    const frame = encodeFrame({ type: 'ping', id: 1 });
    frame.writeUInt16BE(5, 2);
    expect(() => new SpdyFrameReader().push(frame)).toThrow('unknown control frame type 5');
  });
});
