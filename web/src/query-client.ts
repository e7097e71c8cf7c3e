import { QueryCache, QueryClient, MutationCache } from '@tanstack/react-query';
import { ApiErrorCode, isApiError } from './api/api-error';
import { keys } from './api/queries';
import { backoffDelay } from './components/backoff';

/** What to do when the session runs out mid-work: the router sends the learner to sign in and back. */
let onSessionExpired: () => void = () => {};
export function handleSessionExpired(fn: () => void): void {
  onSessionExpired = fn;
}

function watchSession(client: QueryClient, error: unknown): void {
  if (!isApiError(error, ApiErrorCode.Unauthenticated)) return;
  if (client.getQueryData(keys.me)) {
    client.setQueryData(keys.me, null);
    onSessionExpired();
  }
}

export function createQueryClient(): QueryClient {
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError: (e) => watchSession(client, e) }),
    mutationCache: new MutationCache({ onError: (e) => watchSession(client, e) }),
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        // Only an unreachable server is worth retrying; a 4xx answer will not change by asking again.
        retry: (count, error) =>
          isApiError(error, ApiErrorCode.Unreachable) ||
          (isApiError(error) && error.status >= 500 && count < 3),
        retryDelay: (count) => backoffDelay(count),
        refetchOnWindowFocus: true,
      },
    },
  });
  return client;
}
