import { describe, expect, it } from 'vitest';
import type { LabProgressView, LabSummary } from './catalog.dto';
import { LabListBody, type LabListJson } from './lab-list.body';
import { NO_PROGRESS } from './learner-progress';

function lab(slug: string, extra: Partial<LabSummary> = {}): LabSummary {
  return {
    slug,
    title: `Lab "${slug}"`,
    summary: 'Fix it.\nThen check.',
    difficulty: 'beginner',
    estimatedMinutes: 10,
    tags: ['dns', 'services'],
    curriculum: [{ exam: 'CKA', domain: 'Services & Networking', competency: 'CoreDNS' }],
    valid: true,
    ...extra,
  };
}

const passed: LabProgressView = { status: 'passed', bestScore: 87, activeAttemptId: null };
const active: LabProgressView = { status: 'active', bestScore: null, activeAttemptId: 'a1' };

const text = (list: LabListJson) => list.bytes.toString('utf8');

/** What the controller wrote before: Express's JSON.stringify of the summaries with `my`. */
function expected(labs: LabSummary[], progress: Map<string, LabProgressView>): string {
  return JSON.stringify({ labs: labs.map((l) => ({ ...l, my: progress.get(l.slug) ?? NO_PROGRESS })) });
}

describe(LabListBody.name, () => {
  const labs = [lab('a'), lab('b', { valid: false, problems: ['b/lab.yaml:3 bad'] }), lab('c')];

  it.each([
    ['no progress', new Map<string, LabProgressView>()],
    [
      'progress on some labs',
      new Map([
        ['a', passed],
        ['c', active],
      ]),
    ],
    ['progress on a lab not listed', new Map([['zzz', passed]])],
  ])('should write exactly what JSON.stringify writes when the learner has %s', (_, progress) => {
    const sut = new LabListBody();

    expect(text(sut.of(labs, progress))).toBe(expected(labs, progress));
    expect(text(sut.of(labs, new Map(progress)))).toBe(expected(labs, progress)); // prepared text reused
    expect(sut.of(labs, progress)).toBe(sut.of(labs, progress)); // body reused
  });

  it('should write an empty list when there are no labs', () => {
    expect(text(new LabListBody().of([], new Map()))).toBe('{"labs":[]}');
  });

  it('should keep the ETag while the text is the same, and change it when the text changes', () => {
    const sut = new LabListBody();
    const none = sut.of(labs, new Map()).etag;

    expect(sut.of(labs, new Map()).etag).toBe(none);
    expect(sut.of([...labs], new Map()).etag).toBe(none); // another snapshot, same text
    const tags = [
      sut.of(labs, new Map([['a', active]])).etag,
      sut.of(labs, new Map([['a', passed]])).etag,
      sut.of(labs, new Map([['c', passed]])).etag,
      sut.of([lab('a', { title: 'Renamed' }), labs[1]!, labs[2]!], new Map()).etag,
      sut.of(labs.slice(0, 2), new Map()).etag,
    ];
    expect(new Set([none, ...tags]).size).toBe(6);
    expect(none).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('should write the body again when the same progress map is listed against another snapshot', () => {
    const sut = new LabListBody();
    const progress = new Map([['a', passed]]);
    const first = sut.of(labs, progress);
    const renamed = [lab('a', { title: 'Renamed' }), labs[1]!, labs[2]!];

    expect(sut.of(labs, progress)).toBe(first);
    expect(text(sut.of(renamed, progress))).toBe(expected(renamed, progress));
    expect(sut.of(renamed, progress).etag).not.toBe(first.etag);
  });
});
