import { describe, expect, it } from 'vitest';
import { parsePoolTargets } from './cluster-profile';

describe(parsePoolTargets.name, () => {
  it('should read one target per profile when the text is well formed', () => {
    expect(parsePoolTargets(' 2n-cni=2, 1n-nocni=0 ')).toEqual({
      targets: [
        { profile: { nodes: 2, cni: true }, size: 2 },
        { profile: { nodes: 1, cni: false }, size: 0 },
      ],
      problems: [],
    });
  });

  it('should report every bad entry at once with what was expected', () => {
    expect(parsePoolTargets('2n-cni=two,3nodes=1,2n-cni=1,2n-cni=3').problems).toEqual([
      '"2n-cni=two": the size "two" must be a whole number, e.g. 2n-cni=1',
      '"3nodes=1": "3nodes" is not a profile; expected <nodes>n-cni or <nodes>n-nocni, e.g. 2n-cni',
      '"2n-cni=3": profile 2n-cni is listed twice',
    ]);
  });

  it('should give no targets when the text is empty', () => {
    expect(parsePoolTargets('')).toEqual({ targets: [], problems: [] });
  });
});
