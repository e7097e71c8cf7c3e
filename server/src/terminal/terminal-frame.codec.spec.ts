import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TerminalErrorCode } from './terminal-error';
import { decodeClientFrame, encodeData, encodeError, encodeStatus, FrameType } from './terminal-frame.codec';
import { TerminalError } from './terminal-error';

const frame = (type: number, body: string | object): Buffer =>
  Buffer.concat([Buffer.from([type]), Buffer.from(typeof body === 'string' ? body : JSON.stringify(body))]);

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    return `${(error as TerminalError).code}: ${(error as Error).message}`;
  }
  return 'no error';
}

describe(decodeClientFrame.name, () => {
  it('should decode each client frame type when the payload is valid', () => {
    expect(decodeClientFrame(Buffer.from([0, 0x6c, 0x73, 0]))).toEqual({
      type: FrameType.DATA,
      data: Buffer.from([0x6c, 0x73, 0]),
    });
    expect(decodeClientFrame(frame(1, { cols: 120, rows: 40 }))).toEqual({
      type: FrameType.RESIZE,
      size: { cols: 120, rows: 40 },
    });
    expect(decodeClientFrame(frame(2, { seq: 4096 }))).toEqual({ type: FrameType.ACK, seq: 4096 });
    expect(decodeClientFrame(frame(3, { resumeFrom: 0 }))).toEqual({
      type: FrameType.HELLO,
      resumeFrom: 0,
      size: undefined,
    });
    expect(decodeClientFrame(frame(3, { resumeFrom: 7, cols: 80, rows: 24 }))).toEqual({
      type: FrameType.HELLO,
      resumeFrom: 7,
      size: { cols: 80, rows: 24 },
    });
  });

  it.each([
    [
      frame(1, { cols: 0, rows: 24 }),
      'BAD_RESIZE: RESIZE needs { cols, rows } as whole numbers from 1 to 1000, got "{\\"cols\\":0,\\"rows\\":24}"',
    ],
    [frame(1, { cols: 80.5, rows: 24 }), 'BAD_RESIZE'],
    [frame(1, { cols: '80;id', rows: 24 }), 'BAD_RESIZE'],
    [frame(1, { cols: 1001, rows: 24 }), 'BAD_RESIZE'],
    [
      frame(2, { seq: -1 }),
      'BAD_ACK: ACK needs { seq } as a whole number of bytes rendered, got "{\\"seq\\":-1}"',
    ],
    [frame(2, '[1]'), 'BAD_FRAME: ACK must carry a JSON object, got "[1]"'],
    [
      frame(3, { resumeFrom: 'x' }),
      'BAD_FRAME: HELLO needs { resumeFrom } as a whole number (0 for a new screen)',
    ],
    [
      frame(3, { resumeFrom: 0, cols: 80 }),
      "BAD_RESIZE: HELLO's cols and rows must be whole numbers from 1 to 1000",
    ],
    [frame(2, `{"seq":1,"pad":"${'x'.repeat(300)}"}`), 'BAD_FRAME: ACK is 318 bytes; at most 256'],
    [Buffer.from([0x10]), 'BAD_FRAME: frame type 0x10 is not one of DATA, RESIZE, ACK, HELLO'],
    [Buffer.alloc(0), 'BAD_FRAME: an empty frame; byte 0 must be the frame type'],
  ])('should refuse a bad frame with a message naming the problem when given %s', (input, expected) => {
    expect(codeOf(() => decodeClientFrame(input))).toContain(expected);
  });

  it('should either decode or throw a TerminalError for any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        try {
          decodeClientFrame(Buffer.from(bytes));
        } catch (error) {
          expect(error).toBeInstanceOf(TerminalError);
          expect(Object.values(TerminalErrorCode)).toContain((error as TerminalError).code);
        }
      }),
    );
  });
});

describe(encodeData.name, () => {
  it('should put the type, the 8-byte big-endian offset and the raw bytes in the frame', () => {
    const f = encodeData(2 ** 40 + 5, Buffer.from([0xff, 0x00]));
    expect(f[0]).toBe(FrameType.DATA);
    expect(f.readBigUInt64BE(1)).toBe(BigInt(2 ** 40 + 5));
    expect([...f.subarray(9)]).toEqual([0xff, 0x00]);
  });

  it('should encode control frames as the type byte and JSON', () => {
    expect(encodeStatus({ state: 'exited', exitCode: 0, seq: 3 }).toString('latin1')).toBe(
      '\x10{"state":"exited","exitCode":0,"seq":3}',
    );
    expect(encodeError(new TerminalError(TerminalErrorCode.READ_ONLY, 'watch only')).toString('latin1')).toBe(
      '\x11{"code":"READ_ONLY","message":"watch only"}',
    );
  });
});
