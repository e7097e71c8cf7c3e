import { join } from 'node:path';
import { formatProblem, loadLab, loadLabOrThrow, type LoadedLab } from '@netlab/labs';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import { CatalogError, CatalogErrorCode } from './catalog.error';
import { LabCatalog } from './lab-catalog';
import { contentHashOf, materializeLabFolder, readLabFolder } from './lab-folder';
import { LabVersionRepository } from './lab-version.repository';
import type { LabVersions, PinnedLab } from './lab-versions';

/**
 * Pins labs by content and renders pinned versions: each version's files are written once into
 * `${dataDir}/lab-versions/<sha256>/` (read-only) and loaded from there, so editing or deleting the
 * catalog folder never changes a running attempt.
 */
@Injectable()
export class LabVersionsService implements LabVersions {
  private readonly root: string;
  private readonly folders = new Map<string, string>();
  /** Versions pinned by this process, by slug and content hash: the same content is validated and stored once. */
  private readonly pinned = new Map<string, PinnedLab>();

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    @Inject(LabCatalog) private readonly catalog: LabCatalog,
    @Inject(LabVersionRepository) private readonly versions: LabVersionRepository,
  ) {
    this.root = join(config.dataDir, 'lab-versions');
  }

  async pin(slug: string): Promise<PinnedLab> {
    const entry = this.catalog.entry(slug);
    if (!entry) {
      throw new CatalogError(
        CatalogErrorCode.LAB_NOT_FOUND,
        `There is no lab "${slug}"; GET /api/labs lists them.`,
      );
    }
    // Read the folder as it is now (the catalog's copy may be a debounce behind) and validate that copy.
    const files = readLabFolder(entry.dir);
    const contentHash = contentHashOf(files);
    const known = this.pinned.get(`${slug}/${contentHash}`);
    if (known) return known;
    const dir = materializeLabFolder(this.root, contentHash, files);
    const loaded = loadLab(dir);
    if (!loaded.ok) {
      throw new CatalogError(
        CatalogErrorCode.LAB_INVALID,
        `The lab "${slug}" has problems and cannot be started; an instructor must fix it first.`,
        {
          problems: loaded.problems.map((p) => formatProblem({ ...p, file: p.file.replace(`${dir}/`, '') })),
        },
      );
    }
    const { id } = await this.versions.upsert({
      slug,
      contentHash,
      files,
      definition: loaded.lab.definition,
    });
    this.folders.set(id, dir);
    const pinned = { labVersionId: id, slug, contentHash, title: loaded.lab.definition.title };
    this.pinned.set(`${slug}/${contentHash}`, pinned);
    return pinned;
  }

  async load(labVersionId: string, seed: string): Promise<LoadedLab> {
    let dir = this.folders.get(labVersionId);
    if (!dir) {
      const version = await this.versions.findById(labVersionId);
      if (!version) {
        throw new CatalogError(
          CatalogErrorCode.LAB_VERSION_NOT_FOUND,
          `No lab version ${labVersionId} is stored.`,
        );
      }
      dir = materializeLabFolder(this.root, version.contentHash, version.files);
      this.folders.set(labVersionId, dir);
    }
    return loadLabOrThrow(dir, { seed });
  }
}
