import { Inject, Injectable } from '@nestjs/common';
import type { SessionUser } from '../auth/auth.types';
import { CatalogError, CatalogErrorCode } from './catalog.error';
import type { LabDetail, LabSummary } from './catalog.dto';
import { LabCatalog } from './lab-catalog';
import { NO_PROGRESS, type LearnerProgress } from './learner-progress';
import { LearnerProgressCache } from './learner-progress.cache';

/**
 * What each role sees of the catalog: learners only valid labs; staff also invalid ones. The `my`
 * field comes from LEARNER_PROGRESS through its change-invalidated cache.
 */
@Injectable()
export class CatalogService {
  constructor(
    @Inject(LabCatalog) private readonly catalog: LabCatalog,
    @Inject(LearnerProgressCache) private readonly progress: LearnerProgress,
  ) {}

  async list(user: SessionUser): Promise<LabSummary[]> {
    const labs = isStaff(user) ? this.catalog.list() : this.catalog.list().filter((l) => l.valid);
    const mine = await this.progress.forUser(user.id);
    return labs.map((lab) => ({ ...lab, my: mine.get(lab.slug) ?? NO_PROGRESS }));
  }

  async detail(user: SessionUser, slug: string): Promise<LabDetail> {
    const lab = this.catalog.detail(slug);
    if (!lab || (!lab.valid && !isStaff(user))) {
      throw new CatalogError(
        CatalogErrorCode.LAB_NOT_FOUND,
        `There is no lab "${slug}"; GET /api/labs lists them.`,
      );
    }
    const mine = await this.progress.forUser(user.id);
    return { ...lab, my: mine.get(slug) ?? NO_PROGRESS };
  }
}

function isStaff(user: SessionUser): boolean {
  return user.role === 'instructor' || user.role === 'admin';
}
