import { Inject, Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';

/** Cohort memberships (the CohortMembership table), as access checks need them. */
@Injectable()
export class CohortMembershipRepository {
  constructor(@Inject(DatabaseService) private readonly db: DatabaseService) {}

  /** Whether `instructorId` is an instructor of a live (unarchived) cohort that `learnerId` is in. */
  async instructsCohortOf(instructorId: string, learnerId: string): Promise<boolean> {
    const count = await this.db.prisma.cohortMembership.count({
      where: {
        userId: instructorId,
        role: 'INSTRUCTOR',
        cohort: { archivedAt: null, memberships: { some: { userId: learnerId, role: 'LEARNER' } } },
      },
    });
    return count > 0;
  }
}
