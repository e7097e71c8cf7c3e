import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api, call } from '../../api/client';
import { keys } from '../../api/queries';
import type { LabSummary } from '../../api/types';
import { DifficultyBadge } from '../../components/badges';
import { ClockIcon } from '../../components/icons';
import { formatScore } from '../../components/format';
import { CurriculumList } from '../../components/curriculum-list';

/** One lab in the catalog: what it is, how long, how I did, and the button to start or go back in. */
export function LabCard({ lab, onTag }: { lab: LabSummary; onTag: (tag: string) => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const start = useMutation({
    mutationFn: () => call(() => api.POST('/api/attempts', { body: { labSlug: lab.slug } })),
    onSuccess: async (attempt) => {
      queryClient.setQueryData(keys.attempt(attempt.id), attempt);
      void queryClient.invalidateQueries({ queryKey: keys.labs });
      await navigate({ to: '/attempts/$attemptId', params: { attemptId: attempt.id } });
    },
  });
  const my = lab.my;
  const active = my?.status === 'active' && my.activeAttemptId;
  const titleId = `lab-${lab.slug}-title`;

  return (
    <article
      className={`card lab-card${my?.status === 'passed' ? ' lab-card-passed' : ''}`}
      aria-labelledby={titleId}
    >
      <div className="lab-card-meta">
        <DifficultyBadge difficulty={lab.difficulty} />
        <span className="lab-card-time">
          <ClockIcon /> {lab.estimatedMinutes} min
        </span>
      </div>
      <h2 id={titleId} className="lab-card-title">
        {lab.title}
      </h2>
      <p className="lab-card-summary">{lab.summary}</p>
      <CurriculumList items={lab.curriculum} compact />
      <div className="lab-card-tags">
        {lab.tags.map((t) => (
          <button
            key={t}
            type="button"
            className="tag"
            onClick={() => onTag(t)}
            aria-label={`Show labs tagged ${t}`}
          >
            #{t}
          </button>
        ))}
      </div>
      <div className="lab-card-footer">
        <span className={`lab-status lab-status-${my?.status ?? 'none'}`}>
          {my?.status === 'passed'
            ? `Passed · best ${formatScore(my.bestScore)}`
            : my?.status === 'active'
              ? 'In progress'
              : my?.status === 'ended'
                ? `Tried${my.bestScore != null ? ` · best ${formatScore(my.bestScore)}` : ''}`
                : 'Not started'}
        </span>
        {active ? (
          <button
            type="button"
            className="btn btn-primary btn-sm"
            onClick={() =>
              void navigate({ to: '/attempts/$attemptId', params: { attemptId: my.activeAttemptId! } })
            }
            aria-describedby={titleId}
          >
            Resume
          </button>
        ) : (
          <button
            type="button"
            className={my?.status === 'passed' ? 'btn btn-sm' : 'btn btn-primary btn-sm'}
            onClick={() => start.mutate()}
            disabled={start.isPending}
            aria-describedby={titleId}
          >
            {start.isPending ? 'Starting…' : my?.status === 'none' || !my ? 'Start lab' : 'Start again'}
          </button>
        )}
      </div>
      {start.isError ? (
        <p className="field-error" role="alert">
          {start.error instanceof Error ? start.error.message : 'Could not start the lab.'}
        </p>
      ) : null}
    </article>
  );
}
