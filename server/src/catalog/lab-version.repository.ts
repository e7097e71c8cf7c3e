import { Inject, Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { InputJsonValue } from '../database/generated/internal/prismaNamespace';
import type { LabFolderFiles } from './lab-folder';

/** A stored lab version. */
export interface LabVersionRecord {
  id: string;
  slug: string;
  contentHash: string;
  files: LabFolderFiles;
}

/** Lab versions in the LabVersion table, one row per (slug, content hash). */
@Injectable()
export class LabVersionRepository {
  constructor(@Inject(DatabaseService) private readonly db: DatabaseService) {}

  /** The row of this slug and content, created if it is new. */
  async upsert(version: Omit<LabVersionRecord, 'id'> & { definition: unknown }): Promise<{ id: string }> {
    const { slug, contentHash } = version;
    return this.db.prisma.labVersion.upsert({
      where: { slug_contentHash: { slug, contentHash } },
      create: {
        slug,
        contentHash,
        files: version.files as InputJsonValue,
        definition: version.definition as InputJsonValue,
      },
      update: {},
      select: { id: true },
    });
  }

  async findById(id: string): Promise<LabVersionRecord | null> {
    const row = await this.db.prisma.labVersion.findUnique({
      where: { id },
      select: { id: true, slug: true, contentHash: true, files: true },
    });
    return row && { ...row, files: row.files as LabFolderFiles };
  }
}
