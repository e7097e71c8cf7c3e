import { lazy, Suspense } from 'react';
import type { Attempt, CheckView } from '../../api/types';
import { ErrorPanel } from '../../components/error-panel';
import { AlertIcon, CheckIcon, CrossIcon } from '../../components/icons';
import type { useAttemptActions } from './attempt-actions';

// The path picture pulls in the graph library: load it only when a failing check has a path.
const PathDiagram = lazy(() => import('./pictures/path-diagram').then((m) => ({ default: m.PathDiagram })));

const STATUS_WORD: Record<CheckView['status'], string> = {
  pass: 'Passing',
  fail: 'Failing',
  error: 'Could not run',
  pending: 'Not run yet',
};

/** Each check with its live status; failing ones explain themselves (diagnosis, evidence, path). */
export function ChecksPanel({
  attempt,
  actions,
}: {
  attempt: Attempt;
  actions: ReturnType<typeof useAttemptActions>;
}) {
  const passing = attempt.checks.filter((c) => c.status === 'pass').length;
  const live = attempt.state === 'ready';
  return (
    <section className="checks" aria-labelledby="checks-title">
      <div className="panel-head">
        <h2 id="checks-title">
          Checks{' '}
          <span className="muted" data-testid="checks-summary">
            {passing} of {attempt.checks.length} passing
          </span>
        </h2>
        {live ? (
          <div className="panel-head-end">
            <span className="muted small">Re-run by themselves when the cluster changes</span>
            <button
              type="button"
              className="btn btn-sm"
              onClick={() => actions.check.mutate()}
              disabled={actions.check.isPending}
            >
              {actions.check.isPending ? 'Checking…' : 'Run checks now'}
            </button>
          </div>
        ) : null}
      </div>
      {actions.check.isError ? (
        <ErrorPanel error={actions.check.error} title="The checks could not run" />
      ) : null}
      <ul className="check-list" aria-live="polite">
        {attempt.checks.map((c) => (
          <CheckRow key={c.id} check={c} />
        ))}
      </ul>
    </section>
  );
}

function CheckRow({ check }: { check: CheckView }) {
  const failing = check.status === 'fail' || check.status === 'error';
  return (
    <li className={`check check-${check.status}`} data-check-id={check.id} data-status={check.status}>
      <div className="check-line">
        <StatusIcon status={check.status} />
        <span className="check-title">{check.title}</span>
        <span className="check-status">{STATUS_WORD[check.status]}</span>
      </div>
      {failing && (check.diagnosis || check.evidence || check.path?.length) ? (
        <div className="check-detail">
          {check.diagnosis ? <p className="check-diagnosis">{check.diagnosis}</p> : null}
          {check.path?.length ? (
            <Suspense fallback={<div className="path-placeholder" aria-busy="true" />}>
              <PathDiagram path={check.path} />
            </Suspense>
          ) : null}
          {check.evidence ? (
            <details className="check-evidence">
              <summary>What the probe saw</summary>
              <pre>{check.evidence}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
    </li>
  );
}

function StatusIcon({ status }: { status: CheckView['status'] }) {
  return (
    <span className={`status-icon status-${status}`} aria-hidden="true">
      {status === 'pass' ? (
        <CheckIcon width={13} height={13} />
      ) : status === 'fail' ? (
        <CrossIcon width={13} height={13} />
      ) : status === 'error' ? (
        <AlertIcon width={13} height={13} />
      ) : null}
    </span>
  );
}
