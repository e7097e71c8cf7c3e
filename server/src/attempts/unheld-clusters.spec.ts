import { describe, expect, it } from 'vitest';
import { unheldClusters } from './unheld-clusters';

describe(unheldClusters.name, () => {
  const heldHere = new Set(['na-ready-7']);
  const gateway = { isHeld: (name: string) => heldHere.has(name) };

  it('should name only attempt clusters that no live attempt and nothing in this process holds', () => {
    const existing = ['na-aaaa-g1', 'na-bbbb-g2', 'na-ready-7', 'warm-3', 'kind', 'na-cccc-g1'];
    const live = [{ clusterName: 'na-aaaa-g1' }, { clusterName: null }, { clusterName: 'na-cccc-g1' }];

    expect(unheldClusters(existing, live, gateway)).toEqual(['na-bbbb-g2']);
  });

  it('should name every attempt cluster when there is no live attempt', () => {
    expect(unheldClusters(new Set(['na-x-g1', 'other']), [], { isHeld: () => false })).toEqual(['na-x-g1']);
  });
});
