import { describe, expect, it } from 'vitest';
import { humanDuration } from './human-duration';

describe(humanDuration.name, () => {
  it.each([
    [0, '0s'],
    [59_000, '59s'],
    [119_000, '119s'],
    [125_000, '2m5s'],
    [600_000, '10m'],
    [3 * 3600_000 + 120_000, '3h2m'],
    [9 * 3600_000, '9h'],
    [50 * 3600_000, '2d2h'],
    [30 * 86400_000, '30d'],
    [3 * 365 * 86400_000, '3y'],
  ])('should print %i ms as %s', (ms, expected) => {
    expect(humanDuration(ms)).toBe(expected);
  });
});
