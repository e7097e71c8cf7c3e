import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer';

describe(ReplayBuffer.name, () => {
  it('should read back what was appended by absolute offset when nothing was dropped', () => {
    const sut = new ReplayBuffer(8192);
    sut.append(Buffer.from('hello '));
    sut.append(Buffer.from('world'));
    expect(sut.read(0, 100)).toEqual({ offset: 0, bytes: Buffer.from('hello world') });
    expect(sut.read(6, 3)).toEqual({ offset: 6, bytes: Buffer.from('wor') });
    expect(sut.read(11, 10).bytes.length).toBe(0);
  });

  it('should keep at least its capacity and at most one block more when output floods it', () => {
    const sut = new ReplayBuffer(256 * 1024);
    for (let i = 0; i < 1000; i++) sut.append(Buffer.alloc(1000, i % 256));
    expect(sut.end).toBe(1_000_000);
    expect(sut.size).toBeGreaterThanOrEqual(256 * 1024);
    expect(sut.size).toBeLessThan(256 * 1024 + 4096);
  });

  it('should read from the oldest byte held and say so in the offset when the client asks for dropped bytes', () => {
    const sut = new ReplayBuffer(4096);
    sut.append(Buffer.alloc(10_000, 7));
    const r = sut.read(0, 100);
    expect(r.offset).toBe(sut.start);
    expect(r.offset).toBeGreaterThan(0);
  });

  it('should refuse a capacity smaller than one block when constructed', () => {
    expect(() => new ReplayBuffer(100)).toThrow(/capacity must be a whole number of bytes ≥ 4096, got 100/);
  });

  it('should return exactly the retained suffix of everything appended, whatever the chunk sizes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 9000 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 4 }),
        fc.nat(),
        fc.integer({ min: 1, max: 20_000 }),
        (sizes, blocks, from, max) => {
          const sut = new ReplayBuffer(blocks * 4096);
          const all = Buffer.concat(
            sizes.map((n, i) => Buffer.alloc(n, (i * 37) % 251).map((b, j) => (b + j) % 256)),
          );
          let at = 0;
          for (const n of sizes) {
            sut.append(all.subarray(at, at + n));
            at += n;
          }
          expect(sut.end).toBe(all.length);
          expect(sut.size).toBe(Math.min(all.length, sut.size));
          expect(sut.size).toBeGreaterThanOrEqual(Math.min(all.length, sut.capacity));
          const start = from % (all.length + 1);
          const r = sut.read(start, max);
          expect(r.offset).toBe(Math.max(start, sut.start));
          expect(r.bytes.equals(all.subarray(r.offset, Math.min(all.length, r.offset + max)))).toBe(true);
        },
      ),
    );
  });
});
