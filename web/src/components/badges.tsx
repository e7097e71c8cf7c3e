import type { AttemptState, Difficulty } from '../api/types';

const DIFFICULTY_LABEL: Record<Difficulty, string> = {
  beginner: 'Beginner',
  intermediate: 'Intermediate',
  advanced: 'Advanced',
};

export function DifficultyBadge({ difficulty }: { difficulty: Difficulty }) {
  return (
    <span className={`badge badge-difficulty badge-${difficulty}`}>
      <span className="difficulty-dots" aria-hidden="true">
        {[0, 1, 2].map((i) => (
          <span
            key={i}
            className={i <= ['beginner', 'intermediate', 'advanced'].indexOf(difficulty) ? 'dot on' : 'dot'}
          />
        ))}
      </span>
      {DIFFICULTY_LABEL[difficulty]}
    </span>
  );
}

const STATE_LABEL: Record<AttemptState, string> = {
  queued: 'Queued',
  provisioning: 'Starting',
  ready: 'In progress',
  passed: 'Passed',
  expired: 'Expired',
  abandoned: 'Gave up',
  failed: 'Failed to start',
};
const STATE_TONE: Record<AttemptState, string> = {
  queued: 'info',
  provisioning: 'info',
  ready: 'accent',
  passed: 'success',
  expired: 'neutral',
  abandoned: 'neutral',
  failed: 'danger',
};

export function StateBadge({ state }: { state: AttemptState }) {
  return <span className={`badge badge-${STATE_TONE[state]}`}>{STATE_LABEL[state]}</span>;
}
