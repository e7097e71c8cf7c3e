import { fileURLToPath } from 'node:url';

/** Where the Prisma schema and the committed migrations live (server/prisma/). */
export interface PrismaPaths {
  schemaFile: string;
  migrationsDir: string;
}

/** The repository's own schema and migrations. */
export const PRISMA_PATHS: PrismaPaths = {
  schemaFile: fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url)),
  migrationsDir: fileURLToPath(new URL('../../prisma/migrations', import.meta.url)),
};
