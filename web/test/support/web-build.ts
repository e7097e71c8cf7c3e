import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const WEB_DIR = resolve(import.meta.dirname, '../..');
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'];

/** Builds web/dist (the server serves it) when it is missing or older than a source, so the browser tests run this tree. */
export function buildWeb(): void {
  const built = join(WEB_DIR, 'dist', 'index.html');
  if (existsSync(built)) {
    const builtAt = statSync(built).mtimeMs;
    if (!SOURCES.some((s) => newest(join(WEB_DIR, s)) > builtAt)) return;
  }
  const r = spawnSync(
    process.execPath,
    [resolve(WEB_DIR, '../node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error'],
    // Under vitest NODE_ENV is "test", which makes vite build React's development bundle
    // (unminified, jsx-dev-runtime): the bench would then measure that if it ran next.
    { cwd: WEB_DIR, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (r.status !== 0) throw new Error(`vite build failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((e) => newest(join(path, e))));
}
