import { Inject, Injectable } from '@nestjs/common';
import type { LabProgressView } from '../catalog/catalog.dto';
import type { LearnerProgress } from '../catalog/learner-progress';
import { isLive } from './attempt-machine';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';

/** LEARNER_PROGRESS for the catalog: per lab, the live attempt, the best score, passed or not. */
@Injectable()
export class AttemptProgress implements LearnerProgress {
  constructor(@Inject(ATTEMPT_STORE) private readonly store: AttemptStore) {}

  async forUser(userId: string): Promise<Map<string, LabProgressView>> {
    const progress = new Map<string, LabProgressView>();
    for (const a of await this.store.listByUser(userId)) {
      const p = progress.get(a.labSlug) ?? { status: 'none', bestScore: null, activeAttemptId: null };
      if (isLive(a.state)) Object.assign(p, { status: 'active', activeAttemptId: a.id });
      else if (a.state === 'passed' && p.status !== 'active') p.status = 'passed';
      else if (p.status === 'none') p.status = 'ended';
      if (a.state === 'passed' && a.score !== null) p.bestScore = Math.max(p.bestScore ?? 0, a.score);
      progress.set(a.labSlug, p);
    }
    return progress;
  }
}
