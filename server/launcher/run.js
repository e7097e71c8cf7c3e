// Runs one entry of the compiled bundle (see compile.js), or its TypeScript source through tsx when
// NETLAB_RUN_TS=1 (development: no compile step, slower start).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ensureBuilt, markInUse } from './compile.js';

/**
 * Imports bundle entry `name` (source: `source`, relative to server/bin/). `before` runs first, with a
 * `load(name, source)` that imports another entry the same way.
 */
export async function runCompiled(name, source, before) {
  let load;
  if (process.env.NETLAB_RUN_TS === '1') {
    const { register } = await import('tsx/esm/api');
    register();
    load = (_name, src) => import(new URL(src, new URL('../bin/', import.meta.url)).href);
  } else {
    // Stack traces name the bundle's chunks (readable, not minified); NODE_OPTIONS=--enable-source-maps
    // maps them to the TypeScript sources, at a start-up cost, which is why it is not the default.
    const dir = await ensureBuilt();
    markInUse(dir);
    load = (entry) => import(pathToFileURL(join(dir, `${entry}.js`)).href);
  }
  if (before) await before(load);
  return load(name, source);
}
