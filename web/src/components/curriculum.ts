import type { CurriculumItem, Exam } from '../api/types';

/** A lab's curriculum grouped by exam and domain, so a card names "CKA · Troubleshooting" once. */
export function curriculumByDomain(
  items: readonly CurriculumItem[],
): { exam: Exam; domain: string; competencies: string[] }[] {
  const groups: { exam: Exam; domain: string; competencies: string[] }[] = [];
  for (const item of items) {
    const group = groups.find((g) => g.exam === item.exam && g.domain === item.domain);
    if (group) group.competencies.push(item.competency);
    else groups.push({ exam: item.exam, domain: item.domain, competencies: [item.competency] });
  }
  return groups;
}
