import { describe, expect, it } from 'vitest';
import {
  decodeServerFrame,
  encodeAck,
  encodeData,
  encodeHello,
  encodeResize,
  unseenPart,
} from './terminal-frames';

const text = (b: Uint8Array) => new TextDecoder().decode(b);

function dataFrame(offset: number, payload: string): ArrayBuffer {
  const body = new TextEncoder().encode(payload);
  const buf = new ArrayBuffer(9 + body.length);
  const view = new DataView(buf);
  view.setUint8(0, 0x00);
  view.setBigUint64(1, BigInt(offset), false);
  new Uint8Array(buf).set(body, 9);
  return buf;
}

const jsonFrame = (type: number, value: unknown) => {
  const body = new TextEncoder().encode(JSON.stringify(value));
  const out = new Uint8Array(body.length + 1);
  out[0] = type;
  out.set(body, 1);
  return out.buffer;
};

describe('terminal frames', () => {
  it('should put the type byte first and JSON after it when encoding control frames', () => {
    expect([...encodeResize(120, 40).subarray(0, 1)]).toEqual([0x01]);
    expect(JSON.parse(text(encodeResize(120, 40).subarray(1)))).toEqual({ cols: 120, rows: 40 });
    expect(JSON.parse(text(encodeAck(4096).subarray(1)))).toEqual({ seq: 4096 });
    expect(encodeHello(17)[0]).toBe(0x03);
    expect(JSON.parse(text(encodeHello(17).subarray(1)))).toEqual({ resumeFrom: 17 });
    expect(JSON.parse(text(encodeHello(0, { cols: 80, rows: 24 }).subarray(1)))).toEqual({
      resumeFrom: 0,
      cols: 80,
      rows: 24,
    });
  });

  it('should send input bytes unchanged after a 0x00 when encoding data', () => {
    const sut = encodeData('ls -la\r');
    expect(sut[0]).toBe(0x00);
    expect(text(sut.subarray(1))).toBe('ls -la\r');
    expect([...encodeData(new Uint8Array([0x1b, 0xff]))]).toEqual([0x00, 0x1b, 0xff]);
  });

  it('should read the 8-byte big-endian offset when decoding data', () => {
    const sut = decodeServerFrame(dataFrame(2 ** 33 + 5, 'hello'));
    expect(sut).toMatchObject({ type: 'data', offset: 2 ** 33 + 5 });
    expect(sut.type === 'data' && text(sut.bytes)).toBe('hello');
  });

  it('should decode status, error and command frames when the server sends them', () => {
    expect(decodeServerFrame(jsonFrame(0x10, { state: 'exited', exitCode: 2, seq: 9 }))).toEqual({
      type: 'status',
      status: { state: 'exited', exitCode: 2, seq: 9 },
    });
    expect(decodeServerFrame(jsonFrame(0x11, { code: 'NOT_FOUND', message: 'No such attempt.' }))).toEqual({
      type: 'error',
      code: 'NOT_FOUND',
      message: 'No such attempt.',
    });
    expect(decodeServerFrame(jsonFrame(0x12, { command: 'kubectl get pods', exitCode: 0, at: 't' }))).toEqual(
      {
        type: 'command',
        command: 'kubectl get pods',
        exitCode: 0,
        at: 't',
      },
    );
  });

  it('should refuse an unknown frame type when decoding', () => {
    expect(() => decodeServerFrame(new Uint8Array([0x7f]).buffer)).toThrow(/unknown frame type 0x7f/);
    expect(() => decodeServerFrame(new Uint8Array([0x00, 1]).buffer)).toThrow(
      /shorter than its 8-byte offset/,
    );
  });
});

describe(unseenPart.name, () => {
  const bytes = new TextEncoder().encode('abcdef');

  it('should drop the overlap when a replay repeats bytes already shown', () => {
    expect(text(unseenPart(10, bytes, 13).bytes)).toBe('def');
    expect(unseenPart(10, bytes, 13).end).toBe(16);
  });

  it('should drop the whole frame when every byte was already shown', () => {
    expect(unseenPart(10, bytes, 16).bytes.length).toBe(0);
    expect(unseenPart(10, bytes, 20).end).toBe(20);
  });

  it('should take the frame whole when it starts after what was shown', () => {
    expect(text(unseenPart(30, bytes, 16).bytes)).toBe('abcdef');
    expect(unseenPart(30, bytes, 16).end).toBe(36);
  });
});
