import type { ReactNode } from 'react';
import { ApiErrorCode, isApiError } from '../api/api-error';
import { AlertIcon } from './icons';

interface ErrorPanelProps {
  error: unknown;
  title?: string;
  /** The way forward: a retry button, a link back. */
  action?: ReactNode;
}

/** An error in words with what to do next; never a bare status code. */
export function ErrorPanel({ error, title, action }: ErrorPanelProps) {
  const unreachable = isApiError(error, ApiErrorCode.Unreachable);
  const message = isApiError(error)
    ? error.message
    : error instanceof Error
      ? error.message
      : 'Something went wrong. Reload the page to try again.';
  return (
    <div className="error-panel" role="alert">
      <AlertIcon className="error-panel-icon" width={20} height={20} />
      <div>
        <p className="error-panel-title">
          {title ?? (unreachable ? 'The server cannot be reached' : 'That did not work')}
        </p>
        <p className="error-panel-message">
          {unreachable
            ? 'Retrying with backoff; this page updates by itself when the server answers.'
            : message}
        </p>
        {action ? <div className="error-panel-actions">{action}</div> : null}
      </div>
    </div>
  );
}
