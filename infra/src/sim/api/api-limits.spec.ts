import { describe, expect, it } from 'vitest';
import { StreamQuota, WriteBudget } from './api-limits';

describe(WriteBudget.name, () => {
  it('should answer 429 as API Priority and Fairness does when a cluster floods its writes', () => {
    const sut = new WriteBudget({ writeBytesPerSecond: 1, writeBurstBytes: 3 * 1024 * 1024 });
    sut.take(2 * 1024 * 1024);
    expect(() => sut.take(2 * 1024 * 1024)).toThrow(
      expect.objectContaining({
        status: expect.objectContaining({
          code: 429,
          reason: 'TooManyRequests',
          message: 'Too many requests, please try again later.',
        }),
      }),
    );
  });
});

describe(StreamQuota.name, () => {
  it('should give a slot back once, however often the stream reports its end', () => {
    const sut = new StreamQuota(1);
    const release = sut.acquire('pods "a" log');
    expect(() => sut.acquire('pods "b" log')).toThrow('exceeded quota');
    release();
    release();
    expect(sut.inUse).toBe(0);
  });
});
