// Compiles the server and the netlab CLI to JavaScript once, and again only when a source changes,
// so `npm start`, `npx netlab` and the platform image run plain JavaScript instead of transpiling
// TypeScript at every start (tests and `npm run dev` still use tsx). See server/README.md, "Build".
//
// - One esbuild bundle (ESM, code-split so the CLI's lazy commands stay lazy) of the workspace
//   packages (@netlab/labs, grader, infra, server); npm dependencies stay external imports.
// - Staleness: a hash of every source file's path, mtime and size (plus the tool versions) names the
//   output folder `node_modules/.cache/netlab/build-<hash>/`; a start whose folder exists runs at
//   once, any other compiles first (about a second) and prints one line of progress on stderr.
// - `import.meta.url` keeps naming the source file, so code that finds files next to its source
//   (the lab catalog, the Prisma schema, the web app) works unchanged from the bundle.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository (or image) root. */
export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** The workspace packages bundled into the output; everything else is an npm dependency. */
const WORKSPACES = ['labs', 'grader', 'infra', 'server'];
/** The bundle's entry points: output name → source. */
export const ENTRIES = {
  main: 'server/src/main.ts',
  cli: 'server/src/cli/main.ts',
  'web-build': 'server/src/web-app/web-build.ts',
};
const KEEP_BUILDS = 3;
/**
 * npm packages pre-bundled once per installed version ("vendor" bundles): @kubernetes/client-node is
 * ~1000 ES modules, and loading them one by one took most of `netlab sim up`'s start; as one minified
 * file it loads in a fraction of that. Built once after an install (a few seconds), not per change.
 */
const VENDORED = ['@kubernetes/client-node'];

/**
 * The folder of an up-to-date build, compiling first when there is none for the current sources.
 * `log` hears the progress line (default: stderr).
 */
export async function ensureBuilt(options = {}) {
  const {
    root = ROOT,
    cacheDir = join(root, 'node_modules', '.cache', 'netlab'),
    entries = ENTRIES,
    log = (line) => process.stderr.write(`${line}\n`),
  } = options;
  ensureGeneratedClient(root, log);
  const hash = sourceHash(root);
  const out = join(cacheDir, `build-${hash}`);
  if (existsSync(join(out, '.complete'))) return out;
  mkdirSync(cacheDir, { recursive: true });
  const lock = join(cacheDir, `lock-${hash}`);
  if (!takeLock(lock)) {
    // Another process is compiling the same sources: wait for its result.
    if (await waitFor(() => existsSync(join(out, '.complete')) || !existsSync(lock)))
      return ensureBuilt(options);
  }
  try {
    if (existsSync(join(out, '.complete'))) return out;
    log('netlab: compiling the server and CLI (first start or sources changed) ...');
    const started = Date.now();
    const staging = `${out}.tmp-${process.pid}`;
    await compile(staging, { root, entries, vendor: await ensureVendored(root, cacheDir, log) });
    writeFileSync(join(staging, '.complete'), `${new Date().toISOString()}\n`);
    rmSync(out, { recursive: true, force: true });
    renameSync(staging, out);
    log(`netlab: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    pruneOldBuilds(cacheDir, out);
    return out;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Bundles the entries (output name → source path relative to `root`) into `outdir`. */
export async function compile(outdir, { root = ROOT, entries = ENTRIES, vendor = {} } = {}) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: Object.fromEntries(Object.entries(entries).map(([name, src]) => [name, join(root, src)])),
    outdir,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node.split('.')[0]}`,
    sourcemap: 'linked',
    logLevel: 'warning',
    plugins: [externalDependencies(vendor), sourceImportMetaUrl()],
  });
}

/**
 * Everything but the workspace packages and relative imports stays an import of node_modules; a
 * vendored package becomes an import of its pre-built file (`vendor`: package name → absolute path).
 */
function externalDependencies(vendor) {
  return {
    name: 'netlab-external-dependencies',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, (args) => {
        if (args.path.startsWith('@netlab/')) return undefined;
        if (vendor[args.path]) return { path: vendor[args.path], external: true };
        return { path: args.path, external: true };
      });
    },
  };
}

/** Pre-builds each VENDORED package of the installed version once; returns name → file. */
async function ensureVendored(root, cacheDir, log) {
  const files = {};
  for (const name of VENDORED) {
    const version = packageVersion(root, name);
    if (!version) continue;
    const file = join(
      cacheDir,
      'vendor',
      `${name.replace('/', '+')}@${version}-esbuild${esbuildVersion()}.js`,
    );
    if (!existsSync(file)) {
      log(`netlab: pre-bundling ${name} ${version} (once per install) ...`);
      const esbuild = await import('esbuild');
      const staging = `${file}.tmp-${process.pid}`;
      await esbuild.build({
        absWorkingDir: root,
        stdin: { contents: `export * from '${name}';`, resolveDir: root, loader: 'js' },
        outfile: staging,
        bundle: true,
        format: 'esm',
        platform: 'node',
        target: `node${process.versions.node.split('.')[0]}`,
        minifyWhitespace: true,
        minifySyntax: true,
        keepNames: true,
        logLevel: 'warning',
        plugins: [
          {
            name: 'netlab-vendor-externals',
            setup(build) {
              // The package's own files are bundled; its dependencies stay imports.
              build.onResolve({ filter: /^[^./]/ }, (args) =>
                args.path === name || args.path.startsWith(`${name}/`)
                  ? undefined
                  : { path: args.path, external: true },
              );
            },
          },
        ],
      });
      renameSync(staging, file);
    }
    files[name] = file;
  }
  return files;
}

function packageVersion(root, name) {
  try {
    return JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}

/** `import.meta.url` in a bundled source keeps the URL of that source file. */
function sourceImportMetaUrl() {
  return {
    name: 'netlab-source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.[cm]?ts$/ }, (args) => {
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta.url')) return undefined;
        return {
          contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
          loader: 'ts',
          resolveDir: dirname(args.path),
        };
      });
    },
  };
}

/** A hash of what the output depends on: source files (path, mtime, size), tool versions, root. */
export function sourceHash(root = ROOT) {
  const h = createHash('sha256');
  h.update(`${root}\0${process.versions.node}\0${esbuildVersion()}\0`);
  for (const name of VENDORED) h.update(`${name}@${packageVersion(root, name)}\0`);
  const self = statSync(fileURLToPath(import.meta.url));
  h.update(`launcher\0${self.mtimeMs}\0${self.size}\0`);
  for (const ws of WORKSPACES) {
    const pkg = join(root, ws, 'package.json');
    if (existsSync(pkg)) stamp(h, root, pkg);
    walk(h, root, join(root, ws, 'src'));
  }
  return h.digest('hex').slice(0, 16);
}

function walk(h, root, dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) walk(h, root, path);
    else if (!e.name.endsWith('.spec.ts')) stamp(h, root, path);
  }
}

function stamp(h, root, path) {
  const s = statSync(path);
  h.update(`${relative(root, path)}\0${s.mtimeMs}\0${s.size}\0`);
}

function esbuildVersion() {
  try {
    return JSON.parse(readFileSync(createRequire(import.meta.url).resolve('esbuild/package.json'), 'utf8'))
      .version;
  } catch {
    return 'unknown';
  }
}

/**
 * The Prisma client is generated at install (server's postinstall); regenerate it here when it is
 * missing or older than the schema (an install with --ignore-scripts, or a schema just edited).
 */
function ensureGeneratedClient(root, log) {
  const schema = join(root, 'server', 'prisma', 'schema.prisma');
  const client = join(root, 'server', 'src', 'database', 'generated', 'client.ts');
  if (!existsSync(schema)) return;
  if (existsSync(client) && statSync(client).mtimeMs >= statSync(schema).mtimeMs) return;
  log('netlab: generating the Prisma client (schema.prisma changed or not generated yet) ...');
  const prisma = join(root, 'node_modules', 'prisma', 'build', 'index.js');
  execFileSync(process.execPath, [prisma, 'generate'], {
    cwd: join(root, 'server'),
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

function takeLock(lock) {
  try {
    mkdirSync(lock);
    return true;
  } catch (error) {
    if (error.code !== 'EEXIST') throw error;
    // A lock left by a process killed mid-build is taken over after two minutes.
    if (Date.now() - statSync(lock).mtimeMs > 120_000) {
      rmSync(lock, { recursive: true, force: true });
      return takeLock(lock);
    }
    return false;
  }
}

async function waitFor(done, timeoutMs = 180_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (done()) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/**
 * Records that this process runs from `dir`, so no other process prunes it while this one may still
 * import chunks from it lazily (a server started before the sources changed keeps its build).
 */
export function markInUse(dir) {
  try {
    writeFileSync(join(dir, `.in-use-${process.pid}`), '');
    process.once('exit', () => rmSync(join(dir, `.in-use-${process.pid}`), { force: true }));
  } catch {
    // A read-only install (the platform image) is never pruned by anyone else either.
  }
}

/** Whether a live process runs from the build folder `dir` (see markInUse). */
function inUse(dir) {
  return readdirSync(dir)
    .filter((n) => n.startsWith('.in-use-'))
    .some((n) => {
      try {
        process.kill(Number(n.slice('.in-use-'.length)), 0);
        return true;
      } catch (error) {
        return error.code === 'EPERM';
      }
    });
}

/** Keeps the newest builds and those a running process uses, and drops the rest. */
function pruneOldBuilds(cacheDir, current) {
  const builds = readdirSync(cacheDir)
    .filter((n) => n.startsWith('build-'))
    .map((n) => join(cacheDir, n))
    .filter((p) => p !== current && (p.includes('.tmp-') || !inUse(p)))
    .map((p) => ({ p, t: statSync(p).mtimeMs }))
    // Another process may be compiling other sources into a staging folder right now.
    .filter(({ p, t }) => !p.includes('.tmp-') || Date.now() - t > 600_000)
    .sort((a, b) => b.t - a.t);
  for (const { p } of builds.slice(KEEP_BUILDS - 1)) rmSync(p, { recursive: true, force: true });
}
