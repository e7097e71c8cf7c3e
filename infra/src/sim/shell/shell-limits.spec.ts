import { describe, expect, it } from 'vitest';
import { sh } from './testing/shell-harness';
import { SHELL_LIMITS } from './shell-limits';

const DOUBLE_40_TIMES = 'x=ab; i=0; while [ $i -lt 40 ]; do x=$x$x; i=$((i+1)); done';

describe('shell string limits', () => {
  it('should stop a doubling variable at the string limit instead of growing without bound', async () => {
    const r = await sh(`${DOUBLE_40_TIMES}; printf %s "$x" | wc -c`);
    expect(r.stderr).toBe('');
    expect(Number(r.stdout.trim())).toBe(SHELL_LIMITS.string);
  }, 60_000);

  it('should cap one expanded word and what a command substitution captures', async () => {
    const r = await sh(
      `${DOUBLE_40_TIMES}; y="$x$x$x$x"; z=$(printf %s "$x"; printf %s "$x"); printf %s "$y" | wc -c; printf %s "$z" | wc -c`,
    );
    expect(r.stdout.trim().split(/\s+/).map(Number)).toEqual([SHELL_LIMITS.string, SHELL_LIMITS.string]);
  }, 60_000);

  it('should cap a file the shell writes', async () => {
    const r = await sh(
      `${DOUBLE_40_TIMES}; printf %s "$x" > /tmp/f; printf %s "$x" >> /tmp/f; wc -c < /tmp/f`,
    );
    expect(Number(r.stdout.trim())).toBe(SHELL_LIMITS.string);
  }, 60_000);
});
