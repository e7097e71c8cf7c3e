import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, call } from '../../api/client';
import { keys } from '../../api/queries';
import type { Attempt } from '../../api/types';

type Action = 'reset' | 'extend' | 'finish' | 'abandon';

/** The room's buttons as mutations; each answer is the new attempt, put straight into the cache. */
export function useAttemptActions(attempt: Attempt) {
  const client = useQueryClient();
  const navigate = useNavigate();
  const id = attempt.id;
  const onAttempt = (a: Attempt) => {
    client.setQueryData(keys.attempt(id), a);
    void client.invalidateQueries({ queryKey: keys.labs });
    void client.invalidateQueries({ queryKey: keys.attempts });
  };
  const reset = useMutation({ mutationFn: () => postAction(id, 'reset'), onSuccess: onAttempt });
  const extend = useMutation({ mutationFn: () => postAction(id, 'extend'), onSuccess: onAttempt });
  const finish = useMutation({ mutationFn: () => postAction(id, 'finish'), onSuccess: onAttempt });
  const abandon = useMutation({ mutationFn: () => postAction(id, 'abandon'), onSuccess: onAttempt });

  const check = useMutation({
    mutationFn: () => call(() => api.POST('/api/attempts/{id}/check', { params: { path: { id } } })),
    onSuccess: (run) => {
      if (run && Array.isArray(run.checks) && run.checks.length) {
        client.setQueryData<Attempt>(keys.attempt(id), (prev) =>
          prev ? { ...prev, checks: run.checks } : prev,
        );
      }
      void client.invalidateQueries({ queryKey: keys.attempt(id), exact: true });
      void client.invalidateQueries({ queryKey: keys.checkRuns(id) });
    },
  });

  const hint = useMutation({
    mutationFn: () => call(() => api.POST('/api/attempts/{id}/hints', { params: { path: { id } } })),
    onSuccess: ({ attempt: a }) => onAttempt(a),
  });

  // A fresh attempt of the same lab: the way forward after expiry or a failed start.
  const startAgain = useMutation({
    mutationFn: () => call(() => api.POST('/api/attempts', { body: { labSlug: attempt.labSlug } })),
    onSuccess: async (a) => {
      client.setQueryData(keys.attempt(a.id), a);
      void client.invalidateQueries({ queryKey: keys.labs });
      await navigate({ to: '/attempts/$attemptId', params: { attemptId: a.id } });
    },
  });

  return {
    reset,
    extend,
    finish,
    abandon,
    check,
    hint,
    startAgain,
  };
}

function postAction(id: string, name: Action): Promise<Attempt> {
  const params = { params: { path: { id } } };
  switch (name) {
    case 'reset':
      return call(() => api.POST('/api/attempts/{id}/reset', params));
    case 'extend':
      return call(() => api.POST('/api/attempts/{id}/extend', params));
    case 'finish':
      return call(() => api.POST('/api/attempts/{id}/finish', params));
    case 'abandon':
      return call(() => api.POST('/api/attempts/{id}/abandon', params));
  }
}
