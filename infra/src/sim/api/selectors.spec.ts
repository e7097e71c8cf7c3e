import { describe, expect, it } from 'vitest';
import type { StoredObject } from '../store/object-store';
import { equalityLabels, fieldSelector, labelSelector } from './selectors';

const pod = (labels: Record<string, string>, phase = 'Running') =>
  ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'default', labels },
    status: { phase },
  }) as unknown as StoredObject;

describe(labelSelector.name, () => {
  it.each([
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'api' }, false],
    ['app!=web', {}, true],
    ['tier in (a,b)', { tier: 'b' }, true],
    ['tier notin (a,b)', { tier: 'a' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['app=web,tier in (a, b)', { app: 'web', tier: 'a' }, true],
  ])('should evaluate %s against %o as %s', (selector, labels, expected) => {
    expect(labelSelector(selector)(pod(labels))).toBe(expected);
  });

  it('should refuse a malformed selector with BadRequest', () => {
    expect(() => labelSelector('a b c')).toThrow(
      expect.objectContaining({ status: expect.objectContaining({ code: 400 }) }),
    );
  });
});

describe(fieldSelector.name, () => {
  it.each([
    ['metadata.name=p', true],
    ['metadata.namespace!=default', false],
    ['status.phase!=Failed,metadata.name=p', true],
    ['spec.nodeName=', true],
  ])('should evaluate %s', (selector, expected) => {
    expect(fieldSelector(selector)(pod({}))).toBe(expected);
  });
});

describe(equalityLabels.name, () => {
  it.each([
    ['app=web,tier in (a),x!=y,!z', { app: 'web', tier: 'a' }],
    ['app==web', { app: 'web' }],
    ['tier in (a,b),app', undefined],
    ['app=a,app=b', undefined],
    ['', undefined],
  ])('should give the index %j as %j', (text, expected) => {
    expect(equalityLabels(text)).toEqual(expected);
  });
});
