import { describe, expect, it } from 'vitest';
import { namedBits, objectIdentifier, time, tlv, unsignedInteger } from './der';

const hex = (b: Buffer): string => b.toString('hex');

describe('der', () => {
  it.each([
    [0, '0400'],
    [127, '047f'],
    [128, '048180'],
    [300, '0482012c'],
  ])('should use the shortest length form when the contents are %i bytes', (n, prefix) => {
    expect(hex(tlv(0x04, Buffer.alloc(n))).slice(0, prefix.length)).toBe(prefix);
  });

  it('should encode arcs over 127 in base 128 when writing an OID', () => {
    expect(hex(objectIdentifier('1.2.840.10045.4.3.2'))).toBe('06082a8648ce3d040302');
    expect(hex(objectIdentifier('2.5.29.19'))).toBe('0603551d13');
  });

  it('should keep an integer positive when its top bit is set', () => {
    expect(hex(unsignedInteger(Buffer.from([0x80])))).toBe('02020080');
    expect(hex(unsignedInteger(Buffer.from([0x00, 0x00, 0x05])))).toBe('020105');
  });

  it('should drop trailing zero bits when encoding named bits', () => {
    expect(hex(namedBits([0, 5, 6]))).toBe('03020186');
    expect(hex(namedBits([0]))).toBe('03020780');
  });

  it('should write UTCTime before 2050 and GeneralizedTime from 2050', () => {
    expect(time(new Date('2026-12-02T02:13:20.500Z')).toString('latin1')).toBe('\x17\x0d261202021320Z');
    expect(time(new Date('2050-01-01T00:00:00Z')).toString('latin1')).toBe('\x18\x0f20500101000000Z');
  });
});
