/** A slice of output read back from the buffer: `bytes` start at byte offset `offset`. */
export interface ReplaySlice {
  offset: number;
  bytes: Buffer;
}

const BLOCK = 4096;

/**
 * The last output of a shell, addressed by absolute byte offset (0 = the shell's first byte), so a
 * client that reconnects gets exactly the bytes after the last one it rendered. Keeps at least
 * `capacity` bytes (and at most one 4 KiB block more); older bytes are dropped whole blocks at a
 * time. Output is copied into fixed blocks, so a flood of one-byte chunks costs no more than one
 * big chunk, and an idle shell holds one block.
 */
export class ReplayBuffer {
  private readonly blocks: Buffer[] = [];
  private first = 0;
  private total = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < BLOCK)
      throw new RangeError(`capacity must be a whole number of bytes ≥ ${BLOCK}, got ${capacity}`);
  }

  /** Offset of the oldest byte still held. */
  get start(): number {
    return this.first;
  }

  /** Offset one past the newest byte (bytes produced so far). */
  get end(): number {
    return this.first + this.total;
  }

  /** Bytes held now. */
  get size(): number {
    return this.total;
  }

  /** Appends output. */
  append(bytes: Buffer): void {
    let at = 0;
    while (at < bytes.length) {
      const used = this.total % BLOCK;
      if (used === 0) this.blocks.push(Buffer.allocUnsafe(BLOCK));
      const n = bytes.copy(this.blocks[this.blocks.length - 1]!, used, at, at + (BLOCK - used));
      at += n;
      this.total += n;
    }
    while (this.total - BLOCK >= this.capacity) {
      this.blocks.shift();
      this.first += BLOCK;
      this.total -= BLOCK;
    }
  }

  /**
   * Up to `max` bytes from `from`. A `from` older than {@link start} reads from `start` (the
   * returned offset shows the gap); one at or past {@link end} reads nothing.
   */
  read(from: number, max: number): ReplaySlice {
    const offset = Math.max(from, this.first);
    const n = Math.max(0, Math.min(max, this.end - offset));
    if (n === 0) return { offset, bytes: Buffer.alloc(0) };
    const parts: Buffer[] = [];
    let rel = offset - this.first;
    let left = n;
    while (left > 0) {
      const block = this.blocks[Math.floor(rel / BLOCK)]!;
      const within = rel % BLOCK;
      const take = Math.min(left, BLOCK - within);
      parts.push(block.subarray(within, within + take));
      rel += take;
      left -= take;
    }
    return { offset, bytes: parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts, n) };
  }
}
