import { useSyncExternalStore } from 'react';
import { connectivity } from '../api/connectivity';

/** A bar across the top while the server cannot be reached; requests retry with backoff meanwhile. */
export function ConnectionBanner() {
  const reachable = useSyncExternalStore(connectivity.subscribe, connectivity.get);
  if (reachable) return null;
  return (
    <div className="banner banner-warning" role="status">
      <span className="spinner spinner-sm" aria-hidden="true" />
      The server cannot be reached. Retrying with backoff — your work in the cluster is safe.
    </div>
  );
}
