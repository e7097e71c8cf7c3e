import { Inject, Injectable } from '@nestjs/common';
import type { CohortAccess, SessionUser } from '../auth/auth.types';
import { CohortMembershipRepository } from './cohort-membership.repository';

/**
 * Who may look at a learner's work besides the learner: admins always; an instructor when they
 * instruct a live cohort the learner is a member of. Nobody supervises themselves through this.
 */
@Injectable()
export class CohortAccessService implements CohortAccess {
  constructor(@Inject(CohortMembershipRepository) private readonly memberships: CohortMembershipRepository) {}

  async canSupervise(viewer: SessionUser, learnerId: string): Promise<boolean> {
    switch (viewer.role) {
      case 'admin':
        return true;
      case 'instructor':
        return viewer.id !== learnerId && this.memberships.instructsCohortOf(viewer.id, learnerId);
      case 'learner':
        return false;
    }
  }
}
