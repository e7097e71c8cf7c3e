import type { AppConfig } from '../config/app-config';
import { DatabaseService, pgliteDirOf, type OpenDatabaseOptions } from './database.service';
import { userCacheDir } from '../common/user-cache-dir';
import { ensurePgliteDir } from './pglite-template';

/**
 * The database the configuration names, opened and migrated: PostgreSQL when DATABASE_URL is set,
 * else PGlite under the data dir, created (atomically, from the cached template when there is one)
 * on the first start.
 */
export async function openConfiguredDatabase(
  config: Pick<AppConfig, 'databaseUrl' | 'dataDir'>,
  options: OpenDatabaseOptions = {},
): Promise<DatabaseService> {
  if (config.databaseUrl) return DatabaseService.open({ url: config.databaseUrl }, options);
  const pgliteDir = pgliteDirOf(config.dataDir);
  await ensurePgliteDir(pgliteDir, { cacheDir: userCacheDir(), log: options.log });
  return DatabaseService.open({ pgliteDir }, options);
}
