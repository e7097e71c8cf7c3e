import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { CatalogController } from './catalog.controller';
import { CatalogService } from './catalog.service';
import { LabCatalog } from './lab-catalog';
import { LabVersionRepository } from './lab-version.repository';
import { LAB_VERSIONS } from './lab-versions';
import { LabVersionsService } from './lab-versions.service';
import { LEARNER_PROGRESS, noProgress } from './learner-progress';
import { LearnerProgressCache } from './learner-progress.cache';

/**
 * The lab catalog (GET /api/labs, /api/labs/:slug) and LAB_VERSIONS. `learnerProgress` is the
 * provider of LEARNER_PROGRESS (the attempts module's); without one every lab reads "none". The
 * catalog reads it through {@link LearnerProgressCache}.
 */
@Module({})
export class CatalogModule {
  static forRoot(options: { learnerProgress?: Provider } = {}): DynamicModule {
    return {
      module: CatalogModule,
      global: true,
      controllers: [CatalogController],
      providers: [
        LabCatalog,
        CatalogService,
        LearnerProgressCache,
        LabVersionRepository,
        LabVersionsService,
        { provide: LAB_VERSIONS, useExisting: LabVersionsService },
        options.learnerProgress ?? { provide: LEARNER_PROGRESS, useValue: noProgress },
      ],
      exports: [LAB_VERSIONS, LabCatalog],
    };
  }
}
