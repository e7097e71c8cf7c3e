import { Link } from '@tanstack/react-router';

export function NotFoundPage() {
  return (
    <div className="page page-narrow empty-state">
      <h1>Nothing here</h1>
      <p className="muted">The address may be mistyped, or the attempt belongs to someone else.</p>
      <Link to="/" className="btn btn-primary">
        Back to the labs
      </Link>
    </div>
  );
}
