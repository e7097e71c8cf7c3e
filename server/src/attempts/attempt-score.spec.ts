import { describe, expect, it } from 'vitest';
import { scoreOf } from './attempt-score';

const checks = (pass: number, fail: number) => ({
  checks: [
    ...Array.from({ length: pass }, () => ({ status: 'pass' as const })),
    ...Array.from({ length: fail }, () => ({ status: 'fail' as const })),
  ] as never,
});

describe(scoreOf.name, () => {
  it.each([
    { what: 'all checks, no hints, in time', pass: 3, fail: 0, hints: [], minutes: 5, expected: 100 },
    { what: 'two of three checks', pass: 2, fail: 1, hints: [], minutes: 5, expected: 67 },
    { what: 'hints revealed', pass: 3, fail: 0, hints: [5, 10], minutes: 5, expected: 85 },
    { what: 'within twice the estimate', pass: 3, fail: 0, hints: [], minutes: 20, expected: 100 },
    {
      what: '5 minutes past twice the estimate (10 min)',
      pass: 3,
      fail: 0,
      hints: [],
      minutes: 25,
      expected: 95,
    },
    { what: 'far past the estimate (capped at 20)', pass: 3, fail: 0, hints: [], minutes: 500, expected: 80 },
    {
      what: 'hints costing more than the checks',
      pass: 1,
      fail: 2,
      hints: [25, 25],
      minutes: 1,
      expected: 0,
    },
  ])('should give $expected when $what', ({ pass, fail, hints, minutes, expected }) => {
    const sut = scoreOf({
      report: checks(pass, fail),
      hintCosts: hints,
      minutesTaken: minutes,
      estimatedMinutes: 10,
    });
    expect(sut).toBe(expected);
  });
});
