import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where the server keeps what it can always make again (the migrated PGlite template, parsed labs)
 * across starts and data dirs: the user's cache, `$XDG_CACHE_HOME/netlab`, else `~/.cache/netlab`.
 * Private to the user (made with mode 0700), so no one else can plant an entry in it.
 */
export function userCacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'netlab');
}
