import { Inject, Injectable } from '@nestjs/common';
import type { LoadedLab } from '@netlab/labs';
import { LAB_VERSIONS, type LabVersions } from '../catalog/lab-versions';

const KEEP = 500;

/** The pinned lab of an attempt, rendered with its seed; recently used renderings are kept. */
@Injectable()
export class AttemptLabs {
  private readonly cache = new Map<string, Promise<LoadedLab>>();

  constructor(@Inject(LAB_VERSIONS) private readonly versions: LabVersions) {}

  of(attempt: { labVersionId: string; seed: string }): Promise<LoadedLab> {
    const key = `${attempt.labVersionId}/${attempt.seed}`;
    let lab = this.cache.get(key);
    if (lab) {
      this.cache.delete(key);
      this.cache.set(key, lab);
      return lab;
    }
    lab = this.versions.load(attempt.labVersionId, attempt.seed);
    lab.catch(() => this.cache.delete(key));
    this.cache.set(key, lab);
    if (this.cache.size > KEEP) this.cache.delete(this.cache.keys().next().value!);
    return lab;
  }
}
