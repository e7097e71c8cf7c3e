import { describe, expect, it } from 'vitest';
import { GraderErrorCode } from '../errors';
import { describeLabelSelector, matchesLabelSelector, matchesServiceSelector } from './label-selector';

const labels = { app: 'web', tier: 'front' };

describe(matchesLabelSelector.name, () => {
  it.each([
    ['an empty selector matches everything', {}, labels, true],
    ['an empty selector matches an object without labels', {}, undefined, true],
    ['matchLabels: every pair must match', { matchLabels: { app: 'web', tier: 'front' } }, labels, true],
    ['matchLabels: one wrong value fails', { matchLabels: { app: 'web', tier: 'back' } }, labels, false],
    ['matchLabels: a missing key fails', { matchLabels: { env: 'prod' } }, labels, false],
    [
      'In: the value is listed',
      { matchExpressions: [{ key: 'tier', operator: 'In', values: ['front', 'back'] }] },
      labels,
      true,
    ],
    [
      'In: a missing key fails',
      { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] },
      labels,
      false,
    ],
    [
      'NotIn: a listed value fails',
      { matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['front'] }] },
      labels,
      false,
    ],
    [
      'NotIn: a missing key matches',
      { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] },
      labels,
      true,
    ],
    ['Exists: the key is there', { matchExpressions: [{ key: 'app', operator: 'Exists' }] }, labels, true],
    ['Exists: the key is not', { matchExpressions: [{ key: 'env', operator: 'Exists' }] }, labels, false],
    [
      'DoesNotExist: the key is not there',
      { matchExpressions: [{ key: 'env', operator: 'DoesNotExist' }] },
      labels,
      true,
    ],
    [
      'DoesNotExist: the key is there',
      { matchExpressions: [{ key: 'app', operator: 'DoesNotExist' }] },
      labels,
      false,
    ],
    [
      'matchLabels AND matchExpressions',
      { matchLabels: { app: 'web' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['back'] }] },
      labels,
      false,
    ],
    ['an empty label value is a value', { matchLabels: { canary: '' } }, { canary: '' }, true],
  ])('should decide %s', (_rule, selector, objectLabels, expected) => {
    expect(matchesLabelSelector(objectLabels, selector)).toBe(expected);
  });

  it.each([
    [
      { key: 'app', operator: 'Equals', values: ['web'] },
      /unknown label selector operator "Equals".*expected one of In, NotIn, Exists, DoesNotExist/,
    ],
    [{ key: 'app', operator: 'in', values: ['web'] }, /unknown label selector operator "in"/],
    [{ key: 'app', operator: 'In', values: [] }, /operator In on key "app" needs at least one value/],
    [{ key: 'app', operator: 'Exists', values: ['web'] }, /operator Exists on key "app" takes no values/],
  ])('should throw INVALID_INPUT for %o', (requirement, message) => {
    expect(() => matchesLabelSelector(labels, { matchExpressions: [requirement] })).toThrow(
      expect.objectContaining({
        code: GraderErrorCode.INVALID_INPUT,
        message: expect.stringMatching(message),
      }),
    );
  });
});

describe(matchesServiceSelector.name, () => {
  it.each([
    ['a matching selector', { app: 'web' }, true],
    ['a selector with a wrong value', { app: 'api' }, false],
    ['no selector (a Service managed by hand)', undefined, false],
    ['an empty selector, which the API stores as none', {}, false],
  ])('should decide %s', (_rule, selector, expected) => {
    expect(matchesServiceSelector(labels, selector)).toBe(expected);
  });
});

describe(describeLabelSelector.name, () => {
  it('should print a selector as kubectl does', () => {
    expect(
      describeLabelSelector({
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'tier', operator: 'In', values: ['a', 'b'] },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      }),
    ).toBe('app=web,tier in (a,b),!legacy');
    expect(describeLabelSelector({})).toBe('<all>');
  });
});
