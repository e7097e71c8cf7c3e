import { describe, expect, it } from 'vitest';
import { KUBECTL, requireKubectl } from './kubectl-harness';

describe('sim conformance prerequisites', () => {
  it('should find the real kubectl the conformance suite drives', () => {
    // Fails (never skips) without kubectl: CI has one, and a silent skip would hide regressions.
    expect(() => requireKubectl(), `kubectl missing at ${KUBECTL}`).not.toThrow();
  });
});
