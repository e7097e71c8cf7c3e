import type { LoadedLab } from '@netlab/labs';

/** A lab version pinned in the database: what an attempt records when it starts. */
export interface PinnedLab {
  labVersionId: string;
  slug: string;
  contentHash: string;
  title: string;
}

/**
 * Lab versions, content-addressed: `pin` records the lab as it is on disk now (once per content
 * hash) and `load` renders a pinned version with an attempt's seed, even after the catalog changed.
 */
export interface LabVersions {
  /** Throws a CatalogError (LAB_NOT_FOUND, LAB_INVALID) when the slug is unknown or the lab is invalid. */
  pin(slug: string): Promise<PinnedLab>;
  load(labVersionId: string, seed: string): Promise<LoadedLab>;
}
/** Nest injection token of the {@link LabVersions}. */
export const LAB_VERSIONS = Symbol('LabVersions');
