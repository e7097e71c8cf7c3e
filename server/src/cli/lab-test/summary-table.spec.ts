import { describe, expect, it } from 'vitest';
import { summaryTable } from './summary-table';

describe(summaryTable.name, () => {
  it('should print one aligned row per lab and the totals', () => {
    const sut = summaryTable([
      {
        labId: 'svc-selector-mismatch',
        seed: 'ab12',
        status: 'pass',
        deviations: [],
        bypasses: 1,
        durationMs: 1500,
      },
      {
        labId: 'no-cni',
        seed: 'cd34',
        status: 'skip',
        skipReason: 'needs a fresh cluster',
        deviations: [],
        bypasses: 0,
        durationMs: 0,
      },
      {
        labId: 'x',
        seed: 'ef56',
        status: 'fail',
        deviations: ['checks: eps: expected fail'],
        bypasses: 0,
        durationMs: 2500,
      },
    ]);
    expect(sut).toEqual([
      'LAB                    RESULT  SEED  BYPASSES  TIME  NOTES',
      'svc-selector-mismatch  PASS    ab12  1         1.5s',
      'no-cni                 SKIP    cd34  0         0.0s  needs a fresh cluster',
      'x                      FAIL    ef56  0         2.5s  1 deviation(s): checks: eps: expected fail',
      '1 passed, 1 failed, 1 skipped in 4.0s',
    ]);
  });
});
