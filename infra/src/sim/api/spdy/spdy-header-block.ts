import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './spdy-dictionary';
import { SpdyError, SpdyErrorCode } from './spdy-error';

/** Header names (lower case) to their values; SPDY joins several values of one name with NUL. */
export type SpdyHeaders = Record<string, string[]>;

/** Bounds of a decoded header block. */
export interface SpdyHeaderLimits {
  /** Bytes a header block may inflate to (a zlib bomb stops here, not at the host's memory). */
  maxInflatedBytes: number;
  /** Name/value pairs in one block. */
  maxPairs: number;
}

/** What the session accepts by default: kubectl's blocks are under 100 bytes. */
export const DEFAULT_HEADER_LIMITS: SpdyHeaderLimits = { maxInflatedBytes: 16 * 1024, maxPairs: 64 };

function bad(message: string): SpdyError {
  return new SpdyError(SpdyErrorCode.BAD_HEADER_BLOCK, message);
}

/** The uncompressed name/value block: a 32-bit count, then length-prefixed names and values. */
export function encodeHeaderBlock(headers: SpdyHeaders): Buffer {
  const parts: Buffer[] = [];
  const u32 = (n: number) => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  };
  const entries = Object.entries(headers);
  parts.push(u32(entries.length));
  for (const [name, values] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(values.join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** Parses an uncompressed block; throws SpdyError when it is truncated, padded, or over the limits. */
export function decodeHeaderBlock(
  block: Buffer,
  limits: SpdyHeaderLimits = DEFAULT_HEADER_LIMITS,
): SpdyHeaders {
  if (block.length < 4) throw bad('header block shorter than its pair count');
  const count = block.readUInt32BE(0);
  if (count > limits.maxPairs) throw bad(`header block has ${count} pairs, more than ${limits.maxPairs}`);
  const out: SpdyHeaders = Object.create(null) as SpdyHeaders;
  let at = 4;
  const field = (what: string): string => {
    if (block.length - at < 4) throw bad(`header block truncated before a ${what} length`);
    const len = block.readUInt32BE(at);
    at += 4;
    if (block.length - at < len) throw bad(`header ${what} of ${len} bytes runs past the block`);
    const s = block.toString('utf8', at, at + len);
    at += len;
    return s;
  };
  for (let i = 0; i < count; i++) {
    const name = field('name');
    if (name.length === 0) throw bad('empty header name');
    if (name !== name.toLowerCase()) throw bad(`header name ${JSON.stringify(name)} is not lower case`);
    if (Object.hasOwn(out, name)) throw bad(`header ${JSON.stringify(name)} appears twice`);
    out[name] = field('value').split('\0');
  }
  if (at !== block.length) throw bad(`${block.length - at} bytes after the last header`);
  return out;
}

/**
 * One direction's zlib stream for header blocks: SPDY shares it across all blocks of a session, so
 * blocks must be inflated in the order they arrived. Each block ends at a sync flush.
 */
export class SpdyHeaderInflater {
  private readonly inflate: Inflate;
  private queue: Promise<unknown> = Promise.resolve();
  private broken?: SpdyError;

  constructor(private readonly limits: SpdyHeaderLimits = DEFAULT_HEADER_LIMITS) {
    this.inflate = createInflate({ dictionary: SPDY3_DICTIONARY });
    this.inflate.on('error', (e: Error) => {
      this.broken ??= bad(`header block does not inflate: ${e.message}`);
    });
  }

  /** Inflates and parses one block; after any failure every later call fails too (the stream is lost). */
  decode(compressed: Buffer): Promise<SpdyHeaders> {
    const run = this.queue.then(() => this.run(compressed));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private run(compressed: Buffer): Promise<SpdyHeaders> {
    if (this.broken) return Promise.reject(this.broken);
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      const onData = (d: Buffer) => {
        size += d.length;
        if (size > this.limits.maxInflatedBytes) {
          this.broken = bad(`header block inflates past ${this.limits.maxInflatedBytes} bytes`);
          this.inflate.off('data', onData);
          this.inflate.destroy();
          reject(this.broken);
          return;
        }
        chunks.push(d);
      };
      const onError = () => {
        cleanup();
        reject(this.broken ?? bad('header block does not inflate'));
      };
      const cleanup = () => {
        this.inflate.off('data', onData);
        this.inflate.off('error', onError);
      };
      this.inflate.on('data', onData);
      this.inflate.once('error', onError);
      this.inflate.write(compressed);
      this.inflate.flush(constants.Z_SYNC_FLUSH, () => {
        cleanup();
        if (this.broken) return reject(this.broken);
        try {
          resolve(decodeHeaderBlock(Buffer.concat(chunks), this.limits));
        } catch (e) {
          reject(e as Error);
        }
      });
    });
  }

  /** Frees the zlib stream. */
  close(): void {
    this.inflate.destroy();
  }
}

/** The sending direction's zlib stream: blocks are compressed in order, each ending at a sync flush. */
export class SpdyHeaderDeflater {
  private readonly deflate: Deflate;
  private queue: Promise<unknown> = Promise.resolve();

  constructor() {
    this.deflate = createDeflate({ dictionary: SPDY3_DICTIONARY });
  }

  /** Encodes and compresses one block. */
  encode(headers: SpdyHeaders): Promise<Buffer> {
    const run = this.queue.then(
      () =>
        new Promise<Buffer>((resolve, reject) => {
          const chunks: Buffer[] = [];
          const onData = (d: Buffer) => chunks.push(d);
          this.deflate.on('data', onData);
          this.deflate.once('error', reject);
          this.deflate.write(encodeHeaderBlock(headers));
          this.deflate.flush(constants.Z_SYNC_FLUSH, () => {
            this.deflate.off('data', onData);
            this.deflate.off('error', reject);
            resolve(Buffer.concat(chunks));
          });
        }),
    );
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Frees the zlib stream. */
  close(): void {
    this.deflate.destroy();
  }
}
