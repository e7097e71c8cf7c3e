import { Inject, Injectable } from '@nestjs/common';
import { COHORT_ACCESS, type CohortAccess, type SessionUser } from '../auth/auth.types';
import { AppError, AppErrorCode } from '../common/app-error';
import { ATTEMPT_STORE, type AttemptStore } from './attempt.store';
import type { AttemptRecord } from './attempt.types';

/** Who may see and who may act on an attempt. */
@Injectable()
export class AttemptAccess {
  constructor(
    @Inject(ATTEMPT_STORE) private readonly store: AttemptStore,
    @Inject(COHORT_ACCESS) private readonly cohorts: CohortAccess,
  ) {}

  /** The owner, or an instructor of a cohort the owner is in (or an admin); anyone else: 404. */
  async readable(user: SessionUser, id: string): Promise<{ attempt: AttemptRecord; owner: boolean }> {
    const attempt = await this.store.get(id);
    if (attempt && attempt.userId === user.id) return { attempt, owner: true };
    if (attempt && (await this.cohorts.canSupervise(user, attempt.userId))) return { attempt, owner: false };
    throw notFound();
  }

  /** Only the owner acts; a supervisor is told they only watch (403); anyone else: 404. */
  async writable(user: SessionUser, id: string): Promise<AttemptRecord> {
    const { attempt, owner } = await this.readable(user, id);
    if (!owner)
      throw new AppError(
        AppErrorCode.FORBIDDEN,
        "You can watch this learner's attempt, but only they can act on it.",
      );
    return attempt;
  }
}

function notFound(): AppError {
  return new AppError(AppErrorCode.NOT_FOUND, 'No such attempt. Open your attempts from the lab list.');
}
