import { Inject, Injectable } from '@nestjs/common';
import type { SessionUser } from '../auth/auth.types';
import { CatalogError, CatalogErrorCode } from './catalog.error';
import type { LabDetail, LabSummary } from './catalog.dto';
import { LabCatalog } from './lab-catalog';
import { LabListBody, type LabListJson } from './lab-list.body';
import { NO_PROGRESS, type LearnerProgress } from './learner-progress';
import { LearnerProgressCache } from './learner-progress.cache';

/**
 * What each role sees of the catalog: learners only valid labs; staff also invalid ones. The `my`
 * field comes from LEARNER_PROGRESS through its change-invalidated cache.
 */
@Injectable()
export class CatalogService {
  private readonly body = new LabListBody();
  /** The valid labs of each catalog snapshot (the same array while the snapshot lasts). */
  private readonly valid = new WeakMap<readonly LabSummary[], LabSummary[]>();

  constructor(
    @Inject(LabCatalog) private readonly catalog: LabCatalog,
    @Inject(LearnerProgressCache) private readonly progress: LearnerProgress,
  ) {}

  async list(user: SessionUser): Promise<LabSummary[]> {
    const labs = this.visibleTo(user);
    const mine = await this.progress.forUser(user.id);
    return labs.map((lab) => ({ ...lab, my: mine.get(lab.slug) ?? NO_PROGRESS }));
  }

  /** {@link list} as the JSON text of `GET /api/labs` (`{"labs": [...]}`), with its ETag. */
  async listJson(user: SessionUser): Promise<LabListJson> {
    const labs = this.visibleTo(user);
    return this.body.of(labs, await this.progress.forUser(user.id));
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

  private visibleTo(user: SessionUser): readonly LabSummary[] {
    const all = this.catalog.list();
    if (isStaff(user)) return all;
    let valid = this.valid.get(all);
    if (!valid) this.valid.set(all, (valid = all.filter((l) => l.valid)));
    return valid;
  }
}

function isStaff(user: SessionUser): boolean {
  return user.role === 'instructor' || user.role === 'admin';
}
