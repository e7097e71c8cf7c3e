import { describe, expect, it } from 'vitest';
import type { LabSummary } from '../../api/types';
import { filterLabs, tagCounts } from './catalog-filter';

const lab = (over: Partial<LabSummary>): LabSummary => ({
  slug: 'a',
  title: 'A lab',
  summary: '',
  difficulty: 'beginner',
  estimatedMinutes: 10,
  tags: [],
  valid: true,
  ...over,
});

describe(filterLabs.name, () => {
  const labs = [
    lab({ slug: 'svc', title: 'A Service that selects nothing', tags: ['services', 'labels'] }),
    lab({
      slug: 'np',
      title: 'A NetworkPolicy that blocks',
      difficulty: 'intermediate',
      tags: ['networkpolicy', 'dns'],
    }),
    lab({
      slug: 'cni',
      title: 'No CNI',
      difficulty: 'advanced',
      summary: 'Nodes stay NotReady',
      tags: ['cni'],
    }),
  ];

  it('should keep every lab when no filter is set', () => {
    expect(filterLabs(labs, {}).map((l) => l.slug)).toEqual(['svc', 'np', 'cni']);
  });

  it('should match every search word anywhere in title, summary or tags when searching text', () => {
    expect(filterLabs(labs, { q: 'notready nodes' }).map((l) => l.slug)).toEqual(['cni']);
    expect(filterLabs(labs, { q: 'DNS' }).map((l) => l.slug)).toEqual(['np']);
    expect(filterLabs(labs, { q: 'dns services' })).toEqual([]);
  });

  it('should combine difficulty and tag when both are set', () => {
    expect(filterLabs(labs, { difficulty: 'intermediate', tag: 'dns' }).map((l) => l.slug)).toEqual(['np']);
    expect(filterLabs(labs, { difficulty: 'beginner', tag: 'dns' })).toEqual([]);
  });
});

describe(tagCounts.name, () => {
  it('should order tags by how many labs carry them when counting', () => {
    const sut = tagCounts([lab({ tags: ['dns', 'services'] }), lab({ tags: ['services'] })]);
    expect(sut).toEqual([
      { tag: 'services', count: 2 },
      { tag: 'dns', count: 1 },
    ]);
  });
});
