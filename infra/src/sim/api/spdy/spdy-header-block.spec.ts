import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SPDY3_DICTIONARY } from './spdy-dictionary';
import {
  decodeHeaderBlock,
  encodeHeaderBlock,
  SpdyHeaderDeflater,
  SpdyHeaderInflater,
} from './spdy-header-block';

const KUBECTL_HEADERS = { streamtype: ['data'], port: ['8080'], requestid: ['0'] };

describe(SpdyHeaderInflater.name, () => {
  it('should read back every block in order when both sides share one zlib stream each', async () => {
    const deflater = new SpdyHeaderDeflater();
    const sut = new SpdyHeaderInflater();
    const blocks = [KUBECTL_HEADERS, { streamtype: ['error'], port: ['80'], requestid: ['1'] }, {}];
    for (const headers of blocks) expect(await sut.decode(await deflater.encode(headers))).toEqual(headers);
    deflater.close();
    sut.close();
  });

  it('should refuse a block when it inflates past the limit (a zlib bomb)', async () => {
    const bomb = encodeHeaderBlock({ x: ['a'.repeat(200_000)] });
    const sut = new SpdyHeaderInflater({ maxInflatedBytes: 16 * 1024, maxPairs: 64 });
    const compressed = deflateSync(bomb, { dictionary: SPDY3_DICTIONARY });
    expect(compressed.length).toBeLessThan(1024);
    await expect(sut.decode(compressed)).rejects.toThrow('header block inflates past 16384 bytes');
    // The stream is lost after a failure: later blocks fail too.
    await expect(sut.decode(compressed)).rejects.toThrow('inflates past');
  });

  it('should refuse a block when it is not zlib data', async () => {
    const sut = new SpdyHeaderInflater();
    await expect(sut.decode(Buffer.from('not zlib at all'))).rejects.toThrow('header block does not inflate');
  });

  it('should use the SPDY/3 dictionary when it compresses (1423 bytes)', () => {
    expect(SPDY3_DICTIONARY.length).toBe(1423);
    expect(SPDY3_DICTIONARY.subarray(0, 11)).toEqual(Buffer.from('\0\0\0\x07options', 'latin1'));
    expect(SPDY3_DICTIONARY.subarray(-6).toString()).toBe('enq=0.');
  });
});

describe(decodeHeaderBlock.name, () => {
  it('should split NUL-separated values when a name has several', () => {
    expect(decodeHeaderBlock(encodeHeaderBlock({ a: ['1', '2'] }))).toEqual({ a: ['1', '2'] });
  });

  it.each([
    ['a truncated count', Buffer.from([0, 0]), 'shorter than its pair count'],
    ['too many pairs', Buffer.from([0, 0, 1, 0]), 'has 256 pairs, more than 64'],
    [
      'a name past the end',
      Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, 0x61]),
      'name of 9 bytes runs past the block',
    ],
    [
      'trailing bytes',
      Buffer.concat([encodeHeaderBlock({}), Buffer.from([1])]),
      '1 bytes after the last header',
    ],
    [
      'an upper-case name',
      Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 0x41, 0, 0, 0, 0]),
      'header name "A" is not lower case',
    ],
  ])('should refuse the block when it has %s', (_, block, message) => {
    expect(() => decodeHeaderBlock(block)).toThrow(message);
  });

  it('should refuse the block when a name appears twice', () => {
    const one = encodeHeaderBlock({ a: ['1'] }).subarray(4);
    const block = Buffer.concat([Buffer.from([0, 0, 0, 2]), one, one]);
    expect(() => decodeHeaderBlock(block)).toThrow('header "a" appears twice');
  });
});
