import { Link } from '@tanstack/react-router';
import type { Attempt } from '../../api/types';
import { ErrorPanel } from '../../components/error-panel';
import { formatScore } from '../../components/format';
import { CheckIcon } from '../../components/icons';
import { MarkdownView } from '../../components/markdown-view';
import type { useAttemptActions } from './attempt-actions';

/** After the end: the score and debrief (passed), or why it ended and the way forward; the solution. */
export function OutcomePanel({
  attempt,
  actions,
}: {
  attempt: Attempt;
  actions: ReturnType<typeof useAttemptActions>;
}) {
  const startAgain = (
    <button
      type="button"
      className="btn btn-primary"
      onClick={() => actions.startAgain.mutate()}
      disabled={actions.startAgain.isPending}
    >
      {actions.startAgain.isPending ? 'Starting…' : 'Start the lab again'}
    </button>
  );
  let head;
  switch (attempt.state) {
    case 'passed':
      head = (
        <div className="outcome outcome-passed" role="status">
          <div className="outcome-icon">
            <CheckIcon width={22} height={22} />
          </div>
          <div>
            <h2 className="outcome-title">Fixed. Every check passes.</h2>
            <p className="outcome-meta">
              Score <strong data-testid="score">{formatScore(attempt.score)}</strong>
              {attempt.hintsUsed
                ? ` · ${attempt.hintsUsed} hint${attempt.hintsUsed === 1 ? '' : 's'} used`
                : ' · no hints'}
            </p>
          </div>
        </div>
      );
      break;
    case 'expired':
      head = (
        <div className="outcome outcome-ended" role="status">
          <div>
            <h2 className="outcome-title">Time is up</h2>
            <p>
              The attempt expired and its cluster was deleted. Start again for a fresh cluster; your attempt
              history keeps this one.
            </p>
            <div className="outcome-actions">{startAgain}</div>
          </div>
        </div>
      );
      break;
    case 'abandoned':
      head = (
        <div className="outcome outcome-ended" role="status">
          <div>
            <h2 className="outcome-title">You gave up on this attempt</h2>
            <p>
              The solution is below. Try the lab again once it makes sense: a new attempt gets new names and
              ports.
            </p>
            <div className="outcome-actions">{startAgain}</div>
          </div>
        </div>
      );
      break;
    case 'failed':
      head = (
        <div className="outcome outcome-failed" role="alert">
          <div>
            <h2 className="outcome-title">The lab's cluster could not be started</h2>
            <p>
              {attempt.message ?? 'Something went wrong while preparing your cluster. It was not your doing.'}
            </p>
            <div className="outcome-actions">
              <button
                type="button"
                className="btn btn-primary"
                onClick={() => actions.startAgain.mutate()}
                disabled={actions.startAgain.isPending}
              >
                {actions.startAgain.isPending ? 'Retrying…' : 'Retry with a new cluster'}
              </button>
              <Link to="/" className="btn">
                Back to the labs
              </Link>
            </div>
          </div>
        </div>
      );
      break;
    default:
      return null;
  }
  return (
    <div className="outcome-wrap">
      {head}
      {actions.startAgain.isError ? (
        <ErrorPanel error={actions.startAgain.error} title="Could not start the lab" />
      ) : null}
      {attempt.debrief ? (
        <section className="debrief" aria-labelledby="debrief-title">
          <h2 id="debrief-title">What happened</h2>
          <MarkdownView markdown={attempt.debrief.markdown} />
          {attempt.debrief.links.length ? (
            <>
              <h3>Read more</h3>
              <ul className="link-list">
                {attempt.debrief.links.map((l) => (
                  <li key={l.url}>
                    <a href={l.url} target="_blank" rel="noopener noreferrer">
                      {l.title}
                    </a>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
      ) : null}
      {attempt.solution?.commands.length ? (
        <section className="solution" aria-labelledby="solution-title">
          <h2 id="solution-title">{attempt.state === 'passed' ? 'The reference solution' : 'Solution'}</h2>
          <MarkdownView markdown={'```sh\n' + attempt.solution.commands.join('\n') + '\n```'} />
        </section>
      ) : null}
    </div>
  );
}
