import { useQuery } from '@tanstack/react-query';
import { labsQuery } from '../../api/queries';
import type { Attempt } from '../../api/types';
import { CurriculumList } from '../../components/curriculum-list';
import { MarkdownView } from '../../components/markdown-view';
import { HintsPanel } from './hints-panel';
import type { useAttemptActions } from './attempt-actions';
import { OutcomePanel } from './outcome-panel';

interface InstructionsPaneProps {
  attempt: Attempt;
  actions: ReturnType<typeof useAttemptActions>;
  onRun: ((command: string) => void) | undefined;
}

/** The left column: what happened to the app, what to do, the hints; after the end, the debrief. */
export function InstructionsPane({ attempt, actions, onRun }: InstructionsPaneProps) {
  // The catalog listing (usually cached from the catalog page) says which curriculum the lab practises.
  const curriculum = useQuery({
    ...labsQuery,
    select: (labs) => labs.find((l) => l.slug === attempt.labSlug)?.curriculum ?? [],
    staleTime: 5 * 60_000,
  });
  return (
    <section className="instructions" aria-label="Instructions">
      <OutcomePanel attempt={attempt} actions={actions} />
      {curriculum.data?.length ? (
        <details className="room-curriculum">
          <summary>
            Practises{' '}
            {[...new Set(curriculum.data.map((c) => c.exam))].map((exam) => (
              <span key={exam} className={`exam-badge exam-${exam.toLowerCase()}`}>
                {exam}
              </span>
            ))}
          </summary>
          <CurriculumList items={curriculum.data} />
        </details>
      ) : null}
      {attempt.steps.map((step, i) => (
        <article key={i} className="step" aria-labelledby={`step-${i}`}>
          <h2 id={`step-${i}`} className="step-title">
            <span className="step-number">{i + 1}</span>
            {step.title}
          </h2>
          <MarkdownView markdown={withoutTitle(step.markdown, step.title)} onRun={onRun} />
        </article>
      ))}
      {attempt.hints.length ? <HintsPanel attempt={attempt} actions={actions} onRun={onRun} /> : null}
    </section>
  );
}

/** The step's Markdown without its leading `# Title` when that is the title shown above it. */
function withoutTitle(markdown: string, title: string): string {
  const m = /^\s*#\s+(.+?)\s*\n/.exec(markdown);
  return m && m[1]!.trim() === title.trim() ? markdown.slice(m[0].length) : markdown;
}
