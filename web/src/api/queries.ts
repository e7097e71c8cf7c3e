import { queryOptions } from '@tanstack/react-query';
import { ApiErrorCode, isApiError } from './api-error';
import { api, call } from './client';
import type { User } from './types';

/** Query keys in one place so an SSE event and a mutation update the same cache entry. */
export const keys = {
  me: ['me'] as const,
  authConfig: ['auth-config'] as const,
  labs: ['labs'] as const,
  attempts: ['attempts'] as const,
  attempt: (id: string) => ['attempt', id] as const,
  checkRuns: (id: string) => ['attempt', id, 'check-runs'] as const,
  netmodel: (id: string) => ['attempt', id, 'netmodel'] as const,
};

/** The signed-in user, or null when there is no session (a 401 is an answer here, not an error). */
export const meQuery = queryOptions({
  queryKey: keys.me,
  queryFn: async (): Promise<User | null> => {
    try {
      return (await call(() => api.GET('/api/auth/me'))).user;
    } catch (e) {
      if (isApiError(e, ApiErrorCode.Unauthenticated)) return null;
      throw e;
    }
  },
  staleTime: 60_000,
});

export const authConfigQuery = queryOptions({
  queryKey: keys.authConfig,
  queryFn: () => call(() => api.GET('/api/auth/config')),
  staleTime: 5 * 60_000,
});

export const labsQuery = queryOptions({
  queryKey: keys.labs,
  queryFn: async () => (await call(() => api.GET('/api/labs'))).labs,
});

export const attemptsQuery = queryOptions({
  queryKey: keys.attempts,
  queryFn: async () => (await call(() => api.GET('/api/attempts'))).attempts,
});

export const attemptQuery = (id: string) =>
  queryOptions({
    queryKey: keys.attempt(id),
    queryFn: () => call(() => api.GET('/api/attempts/{id}', { params: { path: { id } } })),
  });

export const checkRunsQuery = (id: string) =>
  queryOptions({
    queryKey: keys.checkRuns(id),
    queryFn: async () =>
      (await call(() => api.GET('/api/attempts/{id}/check-runs', { params: { path: { id } } }))).checkRuns,
  });

export const netmodelQuery = (id: string) =>
  queryOptions({
    queryKey: keys.netmodel(id),
    queryFn: () => call(() => api.GET('/api/attempts/{id}/netmodel', { params: { path: { id } } })),
  });
