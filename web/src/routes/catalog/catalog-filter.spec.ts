import { describe, expect, it } from 'vitest';
import type { LabSummary } from '../../api/types';
import { examCounts, filterLabs, tagCounts } from './catalog-filter';

const lab = (over: Partial<LabSummary>): LabSummary => ({
  slug: 'a',
  title: 'A lab',
  summary: '',
  difficulty: 'beginner',
  estimatedMinutes: 10,
  tags: [],
  curriculum: [],
  valid: true,
  ...over,
});

describe(filterLabs.name, () => {
  const labs = [
    lab({
      slug: 'svc',
      title: 'A Service that selects nothing',
      tags: ['services', 'labels'],
      curriculum: [
        { exam: 'CKA', domain: 'Troubleshooting', competency: 'Troubleshoot services and networking' },
      ],
    }),
    lab({
      slug: 'np',
      title: 'A NetworkPolicy that blocks',
      difficulty: 'intermediate',
      tags: ['networkpolicy', 'dns'],
      curriculum: [
        { exam: 'CKA', domain: 'Services & Networking', competency: 'Define and enforce Network Policies' },
        {
          exam: 'CKAD',
          domain: 'Services and Networking',
          competency: 'Demonstrate basic understanding of NetworkPolicies',
        },
      ],
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
    expect(filterLabs(labs, { q: 'dns labels' })).toEqual([]);
  });

  it('should combine difficulty and tag when both are set', () => {
    expect(filterLabs(labs, { difficulty: 'intermediate', tag: 'dns' }).map((l) => l.slug)).toEqual(['np']);
    expect(filterLabs(labs, { difficulty: 'beginner', tag: 'dns' })).toEqual([]);
  });

  it('should keep the labs that practise part of an exam when filtering by exam', () => {
    expect(filterLabs(labs, { exam: 'CKA' }).map((l) => l.slug)).toEqual(['svc', 'np']);
    expect(filterLabs(labs, { exam: 'CKAD' }).map((l) => l.slug)).toEqual(['np']);
    expect(filterLabs(labs, { exam: 'CKS' })).toEqual([]);
    expect(filterLabs(labs, { exam: 'CKAD', difficulty: 'beginner' })).toEqual([]);
  });

  it('should find a lab by its curriculum domain or competency when searching text', () => {
    expect(filterLabs(labs, { q: 'troubleshoot' }).map((l) => l.slug)).toEqual(['svc']);
    expect(filterLabs(labs, { q: 'enforce policies' }).map((l) => l.slug)).toEqual(['np']);
  });
});

describe(examCounts.name, () => {
  it('should count the labs of each exam and leave out exams no lab names when counting', () => {
    const sut = examCounts([
      lab({ curriculum: [{ exam: 'CKAD', domain: 'd', competency: 'c1' }] }),
      lab({
        curriculum: [
          { exam: 'CKA', domain: 'd', competency: 'c1' },
          { exam: 'CKA', domain: 'e', competency: 'c2' },
          { exam: 'CKAD', domain: 'd', competency: 'c1' },
        ],
      }),
    ]);
    expect(sut).toEqual([
      { exam: 'CKA', count: 1 },
      { exam: 'CKAD', count: 2 },
    ]);
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
