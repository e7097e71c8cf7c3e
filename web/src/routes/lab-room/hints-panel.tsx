import type { Attempt } from '../../api/types';
import { isEnded } from '../../api/types';
import { ErrorPanel } from '../../components/error-panel';
import { LightbulbIcon } from '../../components/icons';
import { MarkdownView } from '../../components/markdown-view';
import type { useAttemptActions } from './attempt-actions';

/** Hints one at a time: the revealed ones, then a button for the next that says what it costs. */
export function HintsPanel({
  attempt,
  actions,
  onRun,
}: {
  attempt: Attempt;
  actions: ReturnType<typeof useAttemptActions>;
  onRun: ((c: string) => void) | undefined;
}) {
  // Numbered by position: the server's index may count from 0 or 1.
  const hints = attempt.hints.map((h, i) => ({ ...h, number: i + 1 }));
  const next = hints.find((h) => !h.revealed);
  const canReveal = attempt.state === 'ready' && !!next;
  const spent = attempt.hints.filter((h) => h.revealed).reduce((sum, h) => sum + h.cost, 0);
  return (
    <section className="hints" aria-labelledby="hints-title">
      <h2 id="hints-title" className="hints-title">
        <LightbulbIcon /> Hints
        <span className="muted hints-meta">
          {attempt.hintsUsed} of {attempt.hints.length} used{spent ? ` · −${spent} points` : ''}
        </span>
      </h2>
      <ol className="hint-list">
        {hints
          .filter((h) => h.revealed)
          .map((h) => (
            <li key={h.index} className="hint">
              <p className="hint-label">
                Hint {h.number} <span className="muted">· −{h.cost} points</span>
              </p>
              <MarkdownView markdown={h.markdown ?? ''} onRun={onRun} />
            </li>
          ))}
      </ol>
      {canReveal && next ? (
        <button
          type="button"
          className="btn btn-hint"
          onClick={() => actions.hint.mutate()}
          disabled={actions.hint.isPending}
        >
          {actions.hint.isPending ? 'Revealing…' : `Reveal hint ${next.number} — costs ${next.cost} points`}
        </button>
      ) : null}
      {!next && !isEnded(attempt.state) ? <p className="muted">That was the last hint.</p> : null}
      {actions.hint.isError ? (
        <ErrorPanel error={actions.hint.error} title="The hint could not be revealed" />
      ) : null}
    </section>
  );
}
