import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

const WEB_DIR = resolve(import.meta.dirname, '../..');

/**
 * Builds web/dist (the server serves it) so the browser tests run the code in this tree.
 * NETLAB_WEB_PREBUILT=1 skips the build when dist was just built (e.g. by the benchmark).
 */
export function buildWeb(): void {
  if (process.env.NETLAB_WEB_PREBUILT === '1' && existsSync(resolve(WEB_DIR, 'dist/index.html'))) return;
  const r = spawnSync(
    process.execPath,
    [resolve(WEB_DIR, '../node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
    {
      cwd: WEB_DIR,
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`vite build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}
