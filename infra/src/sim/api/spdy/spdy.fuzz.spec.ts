import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from './spdy-dictionary';
import { SpdyError } from './spdy-error';
import { encodeFrame, SpdyFrameReader, type SpdyFrame } from './spdy-frame.codec';
import { SpdyHeaderInflater } from './spdy-header-block';
import { DEFAULT_SESSION_LIMITS, SpdySession, type SpdyTransport } from './spdy-session';

const id31 = fc.integer({ min: 1, max: 0x7fffffff });
const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));

/** Any well-formed frame. */
const frame: fc.Arbitrary<SpdyFrame> = fc.oneof(
  fc.record({ type: fc.constant('data' as const), streamId: id31, flags: fc.nat(255), data: bytes(64) }),
  fc.record({
    type: fc.constant('syn_stream' as const),
    streamId: id31,
    associatedTo: fc.integer({ min: 0, max: 0x7fffffff }),
    priority: fc.nat(7),
    flags: fc.nat(255),
    headerBlock: bytes(32),
  }),
  fc.record({
    type: fc.constant('syn_reply' as const),
    streamId: id31,
    flags: fc.nat(255),
    headerBlock: bytes(32),
  }),
  fc.record({ type: fc.constant('rst_stream' as const), streamId: id31, status: fc.nat() }),
  fc.record({ type: fc.constant('ping' as const), id: fc.nat() }),
  fc.record({
    type: fc.constant('goaway' as const),
    lastGoodStreamId: fc.integer({ min: 0, max: 0x7fffffff }),
    status: fc.nat(),
  }),
  fc.record({
    type: fc.constant('window_update' as const),
    streamId: fc.integer({ min: 0, max: 0x7fffffff }),
    delta: fc.integer({ min: 0, max: 0x7fffffff }),
  }),
);

/** Splits a buffer at random points. */
function chunked(b: Buffer, cuts: number[]): Buffer[] {
  const at = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...at, b.length]) {
    out.push(b.subarray(prev, c));
    prev = c;
  }
  return out;
}

describe('SPDY codec under fuzzing', { timeout: 120_000 }, () => {
  it('should read the same frames when a stream of valid frames is split anywhere', () => {
    fc.assert(
      fc.property(
        fc.array(frame, { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        (frames, cuts) => {
          const sut = new SpdyFrameReader();
          const wire = Buffer.concat(frames.map(encodeFrame));
          const got = chunked(wire, cuts).flatMap((c) => sut.push(c));
          expect(got).toEqual(frames);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('should either read frames or throw SpdyError, holding at most one frame, when bytes are random', () => {
    const limits = { maxDataLength: 256, maxControlLength: 128 };
    fc.assert(
      fc.property(fc.array(fc.oneof(bytes(40), frame.map(encodeFrame)), { maxLength: 20 }), (parts) => {
        const sut = new SpdyFrameReader(limits);
        try {
          for (const p of parts) {
            sut.push(p);
            expect(sut.buffered).toBeLessThanOrEqual(8 + limits.maxDataLength + 40);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(SpdyError);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('should decode a block or refuse it with SpdyError, never inflating past the cap, when blocks are random', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          bytes(64),
          bytes(4096).map((b) => deflateSync(b, { dictionary: SPDY3_DICTIONARY })),
          fc.nat(1_000_000).map((n) => deflateSync(Buffer.alloc(n), { dictionary: SPDY3_DICTIONARY })),
        ),
        async (block) => {
          const sut = new SpdyHeaderInflater({ maxInflatedBytes: 8192, maxPairs: 16 });
          try {
            const headers = await sut.decode(block);
            expect(Object.keys(headers).length).toBeLessThanOrEqual(16);
          } catch (e) {
            expect(e).toBeInstanceOf(SpdyError);
          } finally {
            sut.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('should never throw or queue without bound when a session is fed random and mutated frames', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(bytes(40), frame.map(encodeFrame)), { maxLength: 25 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 5 }),
        async (parts, flips) => {
          const wire = Buffer.concat(parts);
          for (const [at, v] of flips) if (wire.length) wire[at % wire.length] = v;
          let written = 0;
          const transport: SpdyTransport = {
            write: (b) => void (written += b.length),
            buffered: 0,
            pause: () => undefined,
            resume: () => undefined,
            end: () => undefined,
          };
          const sut = new SpdySession(transport, (s) => s.write(Buffer.from('x')), {
            ...DEFAULT_SESSION_LIMITS,
            maxStreams: 8,
          });
          sut.receive(wire);
          await new Promise((r) => setTimeout(r, 0));
          expect(sut.openStreams).toBeLessThanOrEqual(8);
          // Replies are small and bounded by the frames received.
          expect(written).toBeLessThanOrEqual(64 + wire.length * 4);
          sut.transportClosed();
        },
      ),
      { numRuns: 300 },
    );
  });
});
