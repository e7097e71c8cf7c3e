import type { Difficulty, Exam, LabSummary } from '../../api/types';

/** The catalog's filters as they live in the URL (?q=&difficulty=&exam=&tag=). */
export interface CatalogFilter {
  q?: string | undefined;
  difficulty?: Difficulty | undefined;
  /** Labs that practise part of this exam's curriculum. */
  exam?: Exam | undefined;
  tag?: string | undefined;
}

const DIFFICULTIES: readonly Difficulty[] = ['beginner', 'intermediate', 'advanced'];
export const isDifficulty = (v: unknown): v is Difficulty => DIFFICULTIES.includes(v as Difficulty);
export const EXAMS: readonly Exam[] = ['CKA', 'CKAD', 'CKS'];
export const isExam = (v: unknown): v is Exam => EXAMS.includes(v as Exam);

/**
 * The labs matching every filter; the text search looks at title, summary, tags, slug and the
 * curriculum (exam, domain, competency), word by word.
 */
export function filterLabs(labs: readonly LabSummary[], filter: CatalogFilter): LabSummary[] {
  const words = (filter.q ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  return labs.filter((lab) => {
    if (filter.difficulty && lab.difficulty !== filter.difficulty) return false;
    if (filter.exam && !lab.curriculum.some((c) => c.exam === filter.exam)) return false;
    if (filter.tag && !lab.tags.includes(filter.tag)) return false;
    const curriculum = lab.curriculum.map((c) => `${c.exam} ${c.domain} ${c.competency}`);
    const text = [lab.title, lab.summary, lab.slug, ...lab.tags, ...curriculum].join(' ').toLowerCase();
    return words.every((w) => text.includes(w));
  });
}

/** Every tag with how many labs carry it, most common first, then by name. */
export function tagCounts(labs: readonly LabSummary[]): { tag: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const lab of labs) for (const t of lab.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .map(([tag, count]) => ({ tag, count }))
    .sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}

/** How many labs practise each exam that any lab names, in the order CKA, CKAD, CKS. */
export function examCounts(labs: readonly LabSummary[]): { exam: Exam; count: number }[] {
  return EXAMS.map((exam) => ({
    exam,
    count: labs.filter((lab) => lab.curriculum.some((c) => c.exam === exam)).length,
  })).filter((e) => e.count > 0);
}
