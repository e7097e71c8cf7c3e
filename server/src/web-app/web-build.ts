import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The web package in this repository. */
export const WEB_DIR = resolve(fileURLToPath(new URL('../../../web', import.meta.url)));

/** Whether `web/dist` is there and newer than every source it is built from. */
export type WebBuildState = 'fresh' | 'stale' | 'missing' | 'no-sources';

/** Compares the newest source file (src/, public/, index.html, configs) with dist/index.html. */
export function webBuildState(webDir: string = WEB_DIR): WebBuildState {
  if (!existsSync(join(webDir, 'package.json'))) return 'no-sources';
  const built = join(webDir, 'dist', 'index.html');
  if (!existsSync(built)) return 'missing';
  const builtAt = statSync(built).mtimeMs;
  const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json'];
  return sources.some((s) => newestMtime(join(webDir, s)) > builtAt) ? 'stale' : 'fresh';
}

/**
 * Builds the web app when `web/dist` is missing or stale (the launcher of `npm start` calls this
 * before starting the server). Returns what it did; throws with the build's output when it fails.
 */
export function ensureWebBuilt(
  options: { webDir?: string; log?: (line: string) => void } = {},
): 'fresh' | 'built' | 'no-sources' {
  const webDir = options.webDir ?? WEB_DIR;
  const state = webBuildState(webDir);
  if (state === 'fresh' || state === 'no-sources') return state;
  options.log?.(`building the web UI (web/dist is ${state}) ...`);
  const run = spawnSync('npm', ['run', 'build'], { cwd: webDir, encoding: 'utf8', stdio: 'pipe' });
  if (run.status !== 0) {
    throw new Error(`building the web UI failed (npm run build in ${webDir}):\n${run.stdout}${run.stderr}`);
  }
  return 'built';
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const e of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, e)));
  return newest;
}
