import { useQuery } from '@tanstack/react-query';
import { useNavigate, useSearch } from '@tanstack/react-router';
import { useEffect, useMemo, useRef } from 'react';
import { labsQuery } from '../../api/queries';
import type { Difficulty, Exam } from '../../api/types';
import { ErrorPanel } from '../../components/error-panel';
import { SearchIcon } from '../../components/icons';
import {
  type CatalogFilter,
  examCounts,
  filterLabs,
  isDifficulty,
  isExam,
  tagCounts,
} from './catalog-filter';
import { LabCard } from './lab-card';

export function parseCatalogSearch(s: Record<string, unknown>): CatalogFilter {
  return {
    q: typeof s.q === 'string' && s.q ? s.q : undefined,
    difficulty: isDifficulty(s.difficulty) ? s.difficulty : undefined,
    exam: isExam(s.exam) ? s.exam : undefined,
    tag: typeof s.tag === 'string' && s.tag ? s.tag : undefined,
  };
}

const LEVELS: { value: Difficulty | undefined; label: string }[] = [
  { value: undefined, label: 'All levels' },
  { value: 'beginner', label: 'Beginner' },
  { value: 'intermediate', label: 'Intermediate' },
  { value: 'advanced', label: 'Advanced' },
];

export function CatalogPage() {
  const filter = useSearch({ from: '/signed-in/' });
  const navigate = useNavigate({ from: '/' });
  const labs = useQuery(labsQuery);
  const searchBox = useRef<HTMLInputElement>(null);

  const setFilter = (patch: Partial<CatalogFilter>) =>
    void navigate({ search: (prev: CatalogFilter) => ({ ...prev, ...patch }), replace: true });

  // "/" jumps to the search box, as on most catalogs.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement;
      if (e.key === '/' && !/^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName) && !target.isContentEditable) {
        e.preventDefault();
        searchBox.current?.focus();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const all = useMemo(() => (labs.data ?? []).filter((l) => l.valid), [labs.data]);
  const shown = useMemo(() => filterLabs(all, filter), [all, filter]);
  const tags = useMemo(() => tagCounts(all), [all]);
  const exams = useMemo(() => examCounts(all), [all]);
  const passed = all.filter((l) => l.my?.status === 'passed').length;

  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>Labs</h1>
          <p className="muted page-lede">
            Each lab gives you a cluster with one networking fault. Find it, fix it, and the checks turn
            green.
          </p>
        </div>
        {all.length ? (
          <div className="progress-summary" aria-label={`${passed} of ${all.length} labs passed`}>
            <span className="progress-summary-number">
              {passed}
              <span className="muted">/{all.length}</span>
            </span>
            <span className="muted">passed</span>
          </div>
        ) : null}
      </header>

      <div className="toolbar" role="search">
        <label className="search-box">
          <SearchIcon />
          <span className="visually-hidden">Search labs</span>
          <input
            ref={searchBox}
            type="search"
            placeholder="Search labs"
            value={filter.q ?? ''}
            onChange={(e) => setFilter({ q: e.target.value || undefined })}
          />
          <kbd aria-hidden="true">/</kbd>
        </label>
        <div className="segmented segmented-text" role="radiogroup" aria-label="Difficulty">
          {LEVELS.map((l) => (
            <button
              key={l.label}
              type="button"
              role="radio"
              aria-checked={filter.difficulty === l.value}
              className="segmented-item"
              onClick={() => setFilter({ difficulty: l.value })}
            >
              {l.label}
            </button>
          ))}
        </div>
        {exams.length ? (
          <div className="segmented segmented-text" role="radiogroup" aria-label="Exam">
            {[{ exam: undefined as Exam | undefined, count: all.length }, ...exams].map((e) => (
              <button
                key={e.exam ?? 'all'}
                type="button"
                role="radio"
                aria-checked={filter.exam === e.exam}
                className="segmented-item"
                onClick={() => setFilter({ exam: e.exam })}
                title={
                  e.exam ? `Labs that practise part of the ${e.exam} curriculum (${e.count})` : undefined
                }
              >
                {e.exam ?? 'All exams'}
              </button>
            ))}
          </div>
        ) : null}
      </div>
      {tags.length ? (
        <div className="tag-filter" role="group" aria-label="Filter by tag">
          {tags.map(({ tag, count }) => (
            <button
              key={tag}
              type="button"
              className="chip"
              aria-pressed={filter.tag === tag}
              onClick={() => setFilter({ tag: filter.tag === tag ? undefined : tag })}
            >
              {tag}
              <span className="chip-count">{count}</span>
            </button>
          ))}
        </div>
      ) : null}

      {labs.isError ? (
        <ErrorPanel
          error={labs.error}
          action={
            <button type="button" className="btn" onClick={() => void labs.refetch()}>
              Try again
            </button>
          }
        />
      ) : labs.isPending ? (
        <div className="lab-grid" aria-busy="true" aria-label="Loading labs">
          {[0, 1, 2, 3, 4, 5].map((i) => (
            <div key={i} className="card lab-card skeleton" />
          ))}
        </div>
      ) : shown.length ? (
        <ul className="lab-grid" aria-label="Labs">
          {shown.map((lab) => (
            <li key={lab.slug}>
              <LabCard lab={lab} onTag={(tag) => setFilter({ tag })} />
            </li>
          ))}
        </ul>
      ) : (
        <div className="empty-state">
          <p>No lab matches these filters.</p>
          <button
            type="button"
            className="btn"
            onClick={() =>
              setFilter({ q: undefined, tag: undefined, difficulty: undefined, exam: undefined })
            }
          >
            Clear filters
          </button>
        </div>
      )}
    </div>
  );
}
