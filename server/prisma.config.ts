// Prisma CLI configuration (used by `prisma generate`; see server/README.md, "Database").
// Prisma's native schema engine is downloaded from a binary host that is not reachable here, so it is
// replaced by a stub that explains the offline migration scripts; the CLI only checks the file exists.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(
  new URL('./prisma/schema-engine-offline.cjs', import.meta.url),
);
// No update check: it is a network call and the versions are pinned in package.json.
process.env.CHECKPOINT_DISABLE ??= '1';
process.env.PRISMA_HIDE_UPDATE_MESSAGE ??= '1';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
});
