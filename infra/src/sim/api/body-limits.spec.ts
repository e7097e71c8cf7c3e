import { describe, expect, it } from 'vitest';
import { ApiError } from './api-error';
import { BODY_LIMITS, checkShape, scanJson, scanYaml } from './body-limits';

const limits = { ...BODY_LIMITS, maxDepth: 5, maxValues: 50 };

function refusal(fn: () => void): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return (e as ApiError).message;
  }
  return 'accepted';
}

describe(scanJson.name, () => {
  it('should accept JSON within the depth and ignore brackets inside strings', () => {
    expect(refusal(() => scanJson('{"a":[[["[[[[[[\\"{{{{"]]]}', limits))).toBe('accepted');
  });

  it('should refuse JSON nested past the limit before parsing it', () => {
    expect(refusal(() => scanJson('[[[[[[1]]]]]]', limits))).toContain('exceeded max depth of 5');
  });

  it('should refuse JSON with more values than allowed', () => {
    expect(refusal(() => scanJson(`[${Array(60).fill(1).join(',')}]`, limits))).toContain(
      'more than 50 values',
    );
  });
});

describe(scanYaml.name, () => {
  it('should accept an ordinary manifest', () => {
    const yaml = 'a:\n  b:\n    - c: [1, 2]\n      d: "[[[[[["\n';
    expect(refusal(() => scanYaml(yaml, limits))).toBe('accepted');
  });

  it('should refuse flow, block and compact-sequence nesting past the limit', () => {
    expect(refusal(() => scanYaml(`x: ${'['.repeat(11)}${']'.repeat(11)}\n`, limits))).toContain('max depth');
    expect(refusal(() => scanYaml(`${' '.repeat(11)}a: 1\n`, limits))).toContain('max depth');
    expect(refusal(() => scanYaml(`${'- '.repeat(11)}a\n`, limits))).toContain('max depth');
  });
});

describe(checkShape.name, () => {
  it('should refuse a parsed value nested too deep without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(refusal(() => checkShape(deep))).toContain('exceeded max depth of 100');
    expect(refusal(() => checkShape({ a: [1, { b: 2 }] }, limits))).toBe('accepted');
  });
});
