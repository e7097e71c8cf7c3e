import { useQuery } from '@tanstack/react-query';
import { Link } from '@tanstack/react-router';
import { Fragment, useState } from 'react';
import { attemptsQuery, checkRunsQuery } from '../../api/queries';
import type { AttemptSummary } from '../../api/types';
import { isEnded } from '../../api/types';
import { StateBadge } from '../../components/badges';
import { ErrorPanel } from '../../components/error-panel';
import { formatDate, formatDuration, formatScore } from '../../components/format';

/** My attempts: every run of every lab, newest first, each with its check runs on demand. */
export function AttemptsPage() {
  const attempts = useQuery(attemptsQuery);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>My attempts</h1>
          <p className="muted page-lede">
            Every lab you started, with how it went. Open one to see each check run.
          </p>
        </div>
      </header>
      {attempts.isError ? (
        <ErrorPanel
          error={attempts.error}
          action={
            <button type="button" className="btn" onClick={() => void attempts.refetch()}>
              Try again
            </button>
          }
        />
      ) : attempts.isPending ? (
        <div className="card skeleton table-skeleton" aria-busy="true" aria-label="Loading attempts" />
      ) : attempts.data.length === 0 ? (
        <div className="empty-state card">
          <p>No attempts yet.</p>
          <Link to="/" className="btn btn-primary">
            Pick a lab
          </Link>
        </div>
      ) : (
        <div className="card table-card">
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Lab</th>
                <th scope="col">State</th>
                <th scope="col" className="num">
                  Score
                </th>
                <th scope="col" className="num">
                  Time
                </th>
                <th scope="col" className="num">
                  Hints
                </th>
                <th scope="col" className="num">
                  Check runs
                </th>
                <th scope="col">Started</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {attempts.data.map((a) => (
                <Fragment key={a.id}>
                  <AttemptRow
                    attempt={a}
                    open={open === a.id}
                    onToggle={() => setOpen(open === a.id ? null : a.id)}
                  />
                  {open === a.id ? (
                    <tr className="row-detail">
                      <td colSpan={8}>
                        <CheckRuns attemptId={a.id} />
                      </td>
                    </tr>
                  ) : null}
                </Fragment>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

function AttemptRow({
  attempt: a,
  open,
  onToggle,
}: {
  attempt: AttemptSummary;
  open: boolean;
  onToggle: () => void;
}) {
  return (
    <tr className={open ? 'row-open' : undefined}>
      <th scope="row">
        <Link to="/attempts/$attemptId" params={{ attemptId: a.id }} className="table-link">
          {a.labTitle}
        </Link>
      </th>
      <td>
        <StateBadge state={a.state} />
      </td>
      <td className="num">{formatScore(a.score)}</td>
      <td className="num">{formatDuration(a.durationSeconds)}</td>
      <td className="num">{a.hintsUsed}</td>
      <td className="num">{a.checkRuns}</td>
      <td className="nowrap">{formatDate(a.createdAt)}</td>
      <td className="row-actions">
        {!isEnded(a.state) ? (
          <Link to="/attempts/$attemptId" params={{ attemptId: a.id }} className="btn btn-sm btn-primary">
            Resume
          </Link>
        ) : null}
        <button
          type="button"
          className="btn btn-sm btn-ghost"
          aria-expanded={open}
          onClick={onToggle}
          disabled={a.checkRuns === 0}
        >
          {open ? 'Hide runs' : 'Check runs'}
          <span className="visually-hidden"> of {a.labTitle}</span>
        </button>
      </td>
    </tr>
  );
}

function CheckRuns({ attemptId }: { attemptId: string }) {
  const runs = useQuery(checkRunsQuery(attemptId));
  if (runs.isError) return <ErrorPanel error={runs.error} />;
  if (runs.isPending) return <p className="muted">Loading check runs…</p>;
  if (!runs.data.length) return <p className="muted">No check ran in this attempt.</p>;
  return (
    <ol className="run-list">
      {runs.data.map((r) => (
        <li key={r.id} className="run">
          <div className="run-head">
            <span className={r.passed ? 'badge badge-success' : 'badge badge-danger'}>
              {r.passed ? 'All passed' : 'Failing'}
            </span>
            <span className="muted">
              {r.trigger === 'live' ? 'Live' : r.trigger === 'final' ? 'Final' : 'Manual'} ·{' '}
              {formatDate(r.startedAt)}
              {r.durationMs != null ? ` · ${(r.durationMs / 1000).toFixed(1)} s` : ''}
            </span>
          </div>
          <ul className="run-checks">
            {r.checks.map((c) => (
              <li key={c.id} className={`run-check run-check-${c.status}`}>
                <span className={`status-icon status-${c.status}`} aria-hidden="true" />
                {c.title}
                <span className="visually-hidden">: {c.status}</span>
              </li>
            ))}
          </ul>
        </li>
      ))}
    </ol>
  );
}
