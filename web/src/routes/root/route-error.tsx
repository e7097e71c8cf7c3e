import { type ErrorComponentProps, Link } from '@tanstack/react-router';
import { ErrorPanel } from '../../components/error-panel';

/** A page that failed to load: say why and offer a retry. */
export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <div className="page page-narrow">
      <ErrorPanel
        error={error}
        action={
          <>
            <button type="button" className="btn btn-primary" onClick={reset}>
              Try again
            </button>
            <Link to="/" className="btn">
              Back to the labs
            </Link>
          </>
        }
      />
    </div>
  );
}
