import { type QueryClient, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { keys } from '../../api/queries';
import type { Attempt, CheckRun } from '../../api/types';
import { backoffDelay } from '../../components/backoff';

/** The expiry warning the server pushes five minutes before the end. */
export interface ExpiryWarning {
  expiresAt: string;
  minutesLeft: number;
}

/** Whether the live stream is up (the room polls as a fallback while it is not). */
export type StreamState = 'connecting' | 'live' | 'reconnecting';

/** Applies one pushed event to the query cache: the cache stays the single source of what is shown. */
export function applyAttemptEvent(
  client: QueryClient,
  attemptId: string,
  type: string,
  data: unknown,
): ExpiryWarning | null {
  switch (type) {
    case 'attempt':
      client.setQueryData(keys.attempt(attemptId), data as Attempt);
      return null;
    case 'check-run': {
      const run = data as CheckRun;
      client.setQueryData<Attempt>(keys.attempt(attemptId), (prev) =>
        prev ? { ...prev, checks: run.checks } : prev,
      );
      client.setQueryData<CheckRun[]>(keys.checkRuns(attemptId), (prev) =>
        prev ? [run, ...prev.filter((r) => r.id !== run.id)] : prev,
      );
      void client.invalidateQueries({ queryKey: keys.netmodel(attemptId) });
      return null;
    }
    case 'warning':
      return data as ExpiryWarning;
    default:
      return null;
  }
}

/**
 * Subscribes to `GET /api/attempts/:id/events` while the room is open. EventSource resumes by
 * Last-Event-ID on its own; if the server closes the stream for good we open a new one with backoff.
 */
export function useAttemptEvents(
  attemptId: string,
  enabled: boolean,
): { stream: StreamState; warning: ExpiryWarning | null } {
  const client = useQueryClient();
  const [stream, setStream] = useState<StreamState>('connecting');
  const [warning, setWarning] = useState<ExpiryWarning | null>(null);

  useEffect(() => {
    if (!enabled) return;
    let source: EventSource | null = null;
    let timer: number | undefined;
    let tries = 0;
    let stopped = false;

    const open = () => {
      source = new EventSource(`/api/attempts/${encodeURIComponent(attemptId)}/events`, {
        withCredentials: true,
      });
      source.onopen = () => {
        tries = 0;
        setStream('live');
        // Anything that happened while we were away is in the attempt: fetch it once.
        void client.invalidateQueries({ queryKey: keys.attempt(attemptId), exact: true });
      };
      const handle = (type: string) => (e: MessageEvent<string>) => {
        try {
          const w = applyAttemptEvent(client, attemptId, type, JSON.parse(e.data));
          if (w) setWarning(w);
        } catch {
          /* a malformed event is skipped; the next one carries the whole state again */
        }
      };
      for (const type of ['attempt', 'check-run', 'warning'])
        source.addEventListener(type, handle(type) as EventListener);
      source.onerror = () => {
        setStream('reconnecting');
        if (source?.readyState === EventSource.CLOSED && !stopped) {
          source.close();
          timer = window.setTimeout(open, backoffDelay(tries++));
          // A closed stream may mean the session ended: a plain fetch finds out and redirects.
          void client.invalidateQueries({ queryKey: keys.attempt(attemptId), exact: true });
        }
      };
    };
    open();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      source?.close();
    };
  }, [attemptId, enabled, client]);

  return { stream, warning };
}
