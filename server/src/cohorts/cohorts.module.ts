import { Global, Module } from '@nestjs/common';
import { COHORT_ACCESS } from '../auth/auth.types';
import { CohortAccessService } from './cohort-access.service';
import { CohortMembershipRepository } from './cohort-membership.repository';

/** Cohorts. For now only COHORT_ACCESS (who supervises whom); the cohort API is a later issue. */
@Global()
@Module({
  providers: [
    CohortMembershipRepository,
    CohortAccessService,
    { provide: COHORT_ACCESS, useExisting: CohortAccessService },
  ],
  exports: [COHORT_ACCESS],
})
export class CohortsModule {}
