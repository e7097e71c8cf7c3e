import { Link } from '@tanstack/react-router';
import type { Attempt } from '../../api/types';
import { isEnded } from '../../api/types';
import { StateBadge } from '../../components/badges';
import { ConfirmButton } from '../../components/confirm-button';
import { formatClock } from '../../components/format';
import { ClockIcon } from '../../components/icons';
import type { useAttemptActions } from './attempt-actions';
import type { StreamState } from './attempt-events';
import { useNow } from './use-now';

const WARN_MS = 5 * 60_000;

interface RoomHeaderProps {
  attempt: Attempt;
  actions: ReturnType<typeof useAttemptActions>;
  stream: StreamState;
}

/** The lab's title, the time left, and what the learner can do with the attempt as a whole. */
export function RoomHeader({ attempt, actions, stream }: RoomHeaderProps) {
  const live = attempt.state === 'ready';
  const ended = isEnded(attempt.state);
  return (
    <div className="room-header">
      <div className="room-title">
        <Link to="/" className="room-back" aria-label="Back to the labs">
          Labs
        </Link>
        <span className="room-sep" aria-hidden="true">
          /
        </span>
        <h1>{attempt.labTitle}</h1>
        <StateBadge state={attempt.state} />
        {!ended ? (
          <span
            className={`live-pill live-${stream}`}
            title={stream === 'live' ? 'Updates arrive by themselves' : 'Reconnecting to live updates'}
          >
            <span className="live-dot" aria-hidden="true" />
            {stream === 'live' ? 'Live' : 'Connecting…'}
          </span>
        ) : null}
      </div>
      <div className="room-actions">
        {live && attempt.expiresAt ? <Timer expiresAt={attempt.expiresAt} /> : null}
        {live && attempt.canExtend ? (
          <button
            type="button"
            className="btn btn-sm"
            onClick={() => actions.extend.mutate()}
            disabled={actions.extend.isPending}
          >
            Extend time
          </button>
        ) : null}
        {live ? (
          <ConfirmButton
            className="btn btn-sm"
            label="Reset"
            title="Reset this lab?"
            body={
              <p>
                You get a fresh cluster with the same fault. Changes you made in the cluster are lost; hints
                you revealed stay revealed.
              </p>
            }
            confirmLabel="Reset the cluster"
            danger
            onConfirm={() => actions.reset.mutate()}
            disabled={actions.reset.isPending}
          />
        ) : null}
        {live ? (
          <ConfirmButton
            className="btn btn-sm"
            label="Give up"
            title="Give up on this lab?"
            body={
              <p>
                The attempt ends without a pass and the solution is shown. You can start the lab again later.
              </p>
            }
            confirmLabel="Give up and show the solution"
            danger
            onConfirm={() => actions.abandon.mutate()}
          />
        ) : null}
        {live ? (
          <ConfirmButton
            className="btn btn-primary btn-sm"
            label="Finish"
            title="Finish and grade?"
            body={<p>A final check run grades your fix. The attempt ends either way.</p>}
            confirmLabel="Finish and grade"
            onConfirm={() => actions.finish.mutate()}
            disabled={actions.finish.isPending}
          />
        ) : null}
      </div>
    </div>
  );
}

function Timer({ expiresAt }: { expiresAt: string }) {
  const now = useNow();
  const left = new Date(expiresAt).getTime() - now;
  const warn = left <= WARN_MS;
  return (
    <span
      className={warn ? 'timer timer-warn' : 'timer'}
      role="timer"
      aria-label={`Time left: ${formatClock(left)}`}
    >
      <ClockIcon />
      <span className="timer-clock">{formatClock(left)}</span>
    </span>
  );
}

/** The strip shown when the server warns that the attempt expires soon. */
export function ExpiryStrip({
  attempt,
  minutesLeft,
  onExtend,
}: {
  attempt: Attempt;
  minutesLeft: number;
  onExtend: () => void;
}) {
  return (
    <div className="banner banner-warning" role="alert">
      <ClockIcon />
      <span>
        This lab ends in about {minutesLeft} minute{minutesLeft === 1 ? '' : 's'}; the cluster is deleted
        then.
        {attempt.canExtend ? ' You can extend it once.' : ''}
      </span>
      {attempt.canExtend ? (
        <button type="button" className="btn btn-sm" onClick={onExtend}>
          Extend time
        </button>
      ) : null}
    </div>
  );
}
