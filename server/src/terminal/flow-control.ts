import { TerminalError, TerminalErrorCode } from './terminal-error';

/** What a valve opens and closes: the shell's output stream. */
export interface Pausable {
  pause(): void;
  resume(): void;
}

/**
 * Pauses a producer when the bytes it made but nobody acknowledged reach the high watermark, and
 * resumes it when they fall to the low one (the hysteresis keeps it from flapping per chunk).
 */
export class WatermarkValve {
  private closed = false;

  constructor(
    readonly high: number,
    readonly low: number,
    private readonly producer: Pausable,
  ) {
    if (!(low >= 0 && low < high)) throw new RangeError(`need 0 ≤ low < high, got low ${low}, high ${high}`);
  }

  /** Whether the producer is paused now. */
  get paused(): boolean {
    return this.closed;
  }

  /** Re-evaluates after output was produced or acknowledged. */
  update(produced: number, acknowledged: number): void {
    const pending = produced - acknowledged;
    if (!this.closed && pending >= this.high) {
      this.closed = true;
      this.producer.pause();
    } else if (this.closed && pending <= this.low) {
      this.closed = false;
      this.producer.resume();
    }
  }
}

/**
 * One connection's send window: at most `size` bytes sent and not yet acknowledged by the client
 * (it ACKs what it has rendered), so a slow or stalled browser holds at most `size` bytes of the
 * server's memory in its socket, whatever the shell prints.
 */
export class SendWindow {
  private nextOffset: number;
  private ackedOffset: number;

  constructor(
    readonly size: number,
    from: number,
  ) {
    this.nextOffset = from;
    this.ackedOffset = from;
  }

  /** Offset of the next byte to send. */
  get next(): number {
    return this.nextOffset;
  }

  /** Offset up to which the client has rendered. */
  get acked(): number {
    return this.ackedOffset;
  }

  /** How many bytes may be sent now. */
  get room(): number {
    return Math.max(0, this.size - (this.nextOffset - this.ackedOffset));
  }

  /**
   * Records `count` bytes sent starting at `offset` (after a gap in the replay buffer `offset` may
   * be past `next`: the skipped bytes count as rendered, they are gone).
   */
  sent(offset: number, count: number): void {
    if (offset > this.nextOffset) this.ackedOffset += offset - this.nextOffset;
    this.nextOffset = offset + count;
  }

  /** Records an ACK; an old one is ignored, one past what was sent is refused. */
  ack(seq: number): void {
    if (seq > this.nextOffset)
      throw new TerminalError(
        TerminalErrorCode.BAD_ACK,
        `ACK of byte ${seq}, but only ${this.nextOffset} were sent: acknowledge the DATA offset plus the bytes rendered`,
      );
    if (seq > this.ackedOffset) this.ackedOffset = seq;
  }
}
