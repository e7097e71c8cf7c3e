import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SendWindow, WatermarkValve } from './flow-control';
import { ReplayBuffer } from './replay-buffer';

function fakeProducer(): { pause(): void; resume(): void; calls: string[] } {
  const calls: string[] = [];
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

describe(WatermarkValve.name, () => {
  it('should pause at the high watermark and resume only at the low one when acks come in', () => {
    const producer = fakeProducer();
    const sut = new WatermarkValve(100, 20, producer);
    sut.update(99, 0);
    expect(producer.calls).toEqual([]);
    sut.update(100, 0);
    expect(sut.paused).toBe(true);
    sut.update(150, 60);
    sut.update(150, 129);
    expect(producer.calls).toEqual(['pause']);
    sut.update(150, 130);
    expect(producer.calls).toEqual(['pause', 'resume']);
    expect(sut.paused).toBe(false);
  });

  it('should refuse watermarks in the wrong order when constructed', () => {
    expect(() => new WatermarkValve(10, 10, fakeProducer())).toThrow(
      'need 0 ≤ low < high, got low 10, high 10',
    );
  });
});

describe(SendWindow.name, () => {
  it('should allow at most its size unacknowledged when the client is slow', () => {
    const sut = new SendWindow(100, 0);
    sut.sent(0, 70);
    expect(sut.room).toBe(30);
    sut.sent(70, 30);
    expect(sut.room).toBe(0);
    sut.ack(50);
    expect(sut.room).toBe(50);
    sut.ack(10);
    expect(sut.acked).toBe(50);
  });

  it('should refuse an ACK of bytes never sent with a message saying what to acknowledge', () => {
    const sut = new SendWindow(100, 10);
    expect(() => sut.ack(11)).toThrow('ACK of byte 11, but only 10 were sent');
  });

  it('should count bytes skipped over a replay gap as rendered when the next send starts later', () => {
    const sut = new SendWindow(100, 0);
    sut.sent(500, 10);
    expect(sut.next).toBe(510);
    expect(sut.room).toBe(90);
  });

  /**
   * The whole loop as the gateway runs it: a shell producing chunks while the valve lets it, a
   * replay buffer, one client window, and a client that renders and ACKs at random moments.
   * The client must get every byte once, in order, and the unacknowledged bytes stay bounded.
   */
  it('should deliver every byte exactly once and bound what is pending when producer and client race', () => {
    const HIGH = 16 * 1024;
    const LOW = 4 * 1024;
    const CHUNK = 4096;
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant('produce' as const), fc.constant('render' as const)), {
          minLength: 1,
          maxLength: 400,
        }),
        fc.array(fc.integer({ min: 1, max: CHUNK }), { minLength: 1, maxLength: 50 }),
        (steps, sizes) => {
          let paused = false;
          const buffer = new ReplayBuffer(64 * 1024);
          const valve = new WatermarkValve(HIGH, LOW, {
            pause: () => (paused = true),
            resume: () => (paused = false),
          });
          const window = new SendWindow(HIGH, 0);
          const inFlight: Buffer[] = [];
          const received: Buffer[] = [];
          let produced = 0;
          let maxPending = 0;
          const pump = (): void => {
            while (window.room > 0 && window.next < buffer.end) {
              const s = buffer.read(window.next, Math.min(window.room, 1000));
              expect(s.offset).toBe(window.next); // never a gap: the valve keeps unacked bytes in the buffer
              window.sent(s.offset, s.bytes.length);
              inFlight.push(s.bytes);
            }
          };
          steps.forEach((step, i) => {
            if (step === 'produce' && !paused) {
              const n = sizes[i % sizes.length]!;
              buffer.append(Buffer.from(Buffer.alloc(n).map((_, j) => (produced + j) % 256)));
              produced += n;
              valve.update(buffer.end, window.acked);
              pump();
            } else if (step === 'render' && inFlight.length) {
              const b = inFlight.shift()!;
              received.push(b);
              window.ack(window.acked + b.length);
              valve.update(buffer.end, window.acked);
              pump();
            }
            maxPending = Math.max(maxPending, buffer.end - window.acked);
          });
          while (inFlight.length) received.push(inFlight.shift()!);
          const all = Buffer.concat(received);
          expect(all.length).toBe(window.next);
          expect(all.every((b, j) => b === j % 256)).toBe(true);
          expect(maxPending).toBeLessThan(HIGH + CHUNK);
        },
      ),
    );
  });
});
