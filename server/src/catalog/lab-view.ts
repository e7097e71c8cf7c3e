import { formatProblem, type LabProblem, type LoadedLab } from '@netlab/labs';
import { relative } from 'node:path';
import type { LabDetail, LabSummary } from './catalog.dto';

/** One folder of the catalog, loaded with the default seed: the lab, or every problem it has. */
export type CatalogEntry =
  | { slug: string; dir: string; valid: true; lab: LoadedLab }
  | { slug: string; dir: string; valid: false; problems: LabProblem[] };

/** The listing fields of a lab; an invalid one carries its problems (paths relative to the catalog). */
export function summaryOf(entry: CatalogEntry, catalogDir: string): LabSummary {
  if (entry.valid) {
    const d = entry.lab.definition;
    return {
      slug: entry.slug,
      title: d.title,
      summary: d.summary,
      difficulty: d.difficulty,
      estimatedMinutes: d.estimatedMinutes,
      tags: d.tags,
      curriculum: d.curriculum.map(({ exam, domain, competency }) => ({ exam, domain, competency })),
      valid: true,
    };
  }
  return {
    slug: entry.slug,
    title: entry.slug,
    summary: 'This lab cannot be loaded; see its problems.',
    difficulty: 'beginner',
    estimatedMinutes: 0,
    tags: [],
    curriculum: [],
    valid: false,
    problems: entry.problems.map((p) => formatProblem({ ...p, file: relativeFile(p.file, catalogDir) })),
  };
}

/**
 * A lab as anyone may see it: instructions, hint costs, check titles. Built field by field so the
 * solution, bypasses, fault and check internals can never leak through a spread.
 */
export function detailOf(entry: CatalogEntry, catalogDir: string): LabDetail {
  const summary = summaryOf(entry, catalogDir);
  if (!entry.valid) return { ...summary, steps: [], hints: [], checks: [] };
  return {
    ...summary,
    steps: entry.lab.steps.map((s) => ({ title: s.title, markdown: s.markdown })),
    hints: entry.lab.definition.hints.map((h, index) => ({ index, cost: h.cost })),
    checks: entry.lab.definition.checks.map((c) => ({ id: c.id, title: c.title })),
  };
}

function relativeFile(file: string, catalogDir: string): string {
  const rel = relative(catalogDir, file);
  return rel.startsWith('..') ? file : rel;
}
