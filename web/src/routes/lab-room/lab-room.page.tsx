import './lab-room.css';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { lazy, Suspense, useCallback, useRef, useState } from 'react';
import { ApiErrorCode, isApiError } from '../../api/api-error';
import { attemptQuery, keys } from '../../api/queries';
import { type Attempt, isEnded } from '../../api/types';
import { ErrorPanel } from '../../components/error-panel';
import { SplitPane } from '../../components/split-pane';
import { useAttemptActions } from './attempt-actions';
import { useAttemptEvents } from './attempt-events';
import { ChecksPanel } from './checks-panel';
import { InstructionsPane } from './instructions-pane';
import { ProvisioningView } from './provisioning-view';
import { ExpiryStrip, RoomHeader } from './room-header';
import { TerminalPane, type TerminalPaneHandle } from './terminal/terminal-pane';

const NetMapView = lazy(() => import('./pictures/net-map').then((m) => ({ default: m.NetMapView })));

/** The lab room: instructions, terminal and checks on one screen, all kept live by the event stream. */
export function LabRoomPage() {
  const { attemptId } = useParams({ from: '/signed-in/attempts/$attemptId' });
  const client = useQueryClient();
  const [streamUp, setStreamUp] = useState(false);
  const attempt = useQuery({
    ...attemptQuery(attemptId),
    // The event stream pushes every change; poll only while it is down.
    refetchInterval: streamUp ? false : 5000,
  });
  const ended = attempt.data ? isEnded(attempt.data.state) : false;
  const { stream, warning } = useAttemptEvents(attemptId, !!attempt.data && !ended);
  if ((stream === 'live') !== streamUp) setStreamUp(stream === 'live');

  if (attempt.isError && !attempt.data) {
    const notFound = isApiError(attempt.error, ApiErrorCode.NotFound);
    return (
      <div className="page page-narrow">
        <ErrorPanel
          error={attempt.error}
          title={notFound ? 'This attempt does not exist' : undefined}
          action={
            notFound ? (
              <Link to="/" className="btn btn-primary">
                Back to the labs
              </Link>
            ) : (
              <button
                type="button"
                className="btn"
                onClick={() => void client.invalidateQueries({ queryKey: keys.attempt(attemptId) })}
              >
                Try again
              </button>
            )
          }
        />
      </div>
    );
  }
  if (!attempt.data) {
    return (
      <div className="room-loading" aria-busy="true">
        <span className="spinner" aria-hidden="true" /> Opening the lab…
      </div>
    );
  }
  return <Room attempt={attempt.data} stream={stream} warning={warning} />;
}

function Room({
  attempt,
  stream,
  warning,
}: {
  attempt: Attempt;
  stream: ReturnType<typeof useAttemptEvents>['stream'];
  warning: ReturnType<typeof useAttemptEvents>['warning'];
}) {
  const actions = useAttemptActions(attempt);
  const client = useQueryClient();
  const terminals = useRef<TerminalPaneHandle>(null);
  const [bottomTab, setBottomTab] = useState<'checks' | 'map'>('checks');
  const provisioning = attempt.state === 'queued' || attempt.state === 'provisioning';
  const showTerminal =
    attempt.state === 'ready' || (attempt.state === 'passed' && attempt.terminal.available);
  const run = useCallback((command: string) => terminals.current?.run(command), []);
  // A command run in the shell may have changed the cluster: redraw the map soon.
  const onCommand = useCallback(
    () => void client.invalidateQueries({ queryKey: keys.netmodel(attempt.id) }),
    [client, attempt.id],
  );

  const actionError = [actions.reset, actions.extend, actions.finish, actions.abandon].find(
    (m) => m.isError,
  )?.error;

  const bottomPanel = (
    <div className="bottom-panel">
      <div role="tablist" aria-label="Cluster views" className="panel-tabs">
        <button
          type="button"
          role="tab"
          id="tab-checks"
          aria-controls="panel-checks"
          aria-selected={bottomTab === 'checks'}
          onClick={() => setBottomTab('checks')}
        >
          Checks
        </button>
        <button
          type="button"
          role="tab"
          id="tab-map"
          aria-controls="panel-map"
          aria-selected={bottomTab === 'map'}
          onClick={() => setBottomTab('map')}
          disabled={!showTerminal}
        >
          Network map
        </button>
      </div>
      <div
        className="panel-body"
        role="tabpanel"
        id={bottomTab === 'checks' ? 'panel-checks' : 'panel-map'}
        aria-labelledby={bottomTab === 'checks' ? 'tab-checks' : 'tab-map'}
      >
        {bottomTab === 'checks' ? (
          <ChecksPanel attempt={attempt} actions={actions} />
        ) : (
          <Suspense fallback={<div className="map-loading">Loading the map…</div>}>
            <NetMapView attemptId={attempt.id} />
          </Suspense>
        )}
      </div>
    </div>
  );

  const right = provisioning ? (
    <ProvisioningView attempt={attempt} />
  ) : !showTerminal ? (
    // Ended: no shell any more, so the checks get the whole column.
    <div className="ended-column">
      <p className="terminal-closed-note">
        The terminal closed when the attempt ended; its cluster is removed.
      </p>
      {bottomPanel}
    </div>
  ) : (
    <SplitPane
      direction="column"
      storageKey="netlab.split.terminal"
      initial={0.55}
      min={0.25}
      max={0.85}
      label="Resize terminal and checks"
      first={
        showTerminal ? (
          <TerminalPane ref={terminals} attemptId={attempt.id} onCommand={onCommand} />
        ) : (
          <div className="terminal-closed">
            <p>The terminal closed when the attempt ended; its cluster is removed.</p>
          </div>
        )
      }
      second={bottomPanel}
    />
  );

  return (
    <div className="room">
      <RoomHeader attempt={attempt} actions={actions} stream={stream} />
      {warning && attempt.state === 'ready' ? (
        <ExpiryStrip
          attempt={attempt}
          minutesLeft={warning.minutesLeft}
          onExtend={() => actions.extend.mutate()}
        />
      ) : null}
      {actionError ? (
        <div className="room-error">
          <ErrorPanel error={actionError} />
        </div>
      ) : null}
      <SplitPane
        direction="row"
        storageKey="netlab.split.instructions"
        initial={0.38}
        min={0.22}
        max={0.65}
        label="Resize instructions and terminal"
        className="room-body"
        first={
          <InstructionsPane
            attempt={attempt}
            actions={actions}
            onRun={showTerminal && attempt.state === 'ready' ? run : undefined}
          />
        }
        second={right}
      />
    </div>
  );
}
