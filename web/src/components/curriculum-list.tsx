import type { CurriculumItem } from '../api/types';
import { curriculumByDomain } from './curriculum';

/**
 * The exam curriculum a lab practises: "CKA · Troubleshooting" once per exam and domain, with the
 * competencies spelled out (compact: in the tooltip, for the catalog's cards).
 */
export function CurriculumList({
  items,
  compact = false,
}: {
  items: readonly CurriculumItem[];
  compact?: boolean;
}) {
  if (!items.length) return null;
  return (
    <ul className={`curriculum${compact ? ' curriculum-compact' : ''}`} aria-label="Exam curriculum">
      {curriculumByDomain(items).map((g) => (
        <li key={`${g.exam} ${g.domain}`} title={compact ? g.competencies.join('\n') : undefined}>
          <span className={`exam-badge exam-${g.exam.toLowerCase()}`}>{g.exam}</span>
          <span className="curriculum-domain">{g.domain}</span>
          {compact ? (
            <span className="visually-hidden">: {g.competencies.join('; ')}</span>
          ) : (
            <ul className="curriculum-competencies">
              {g.competencies.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          )}
        </li>
      ))}
    </ul>
  );
}
