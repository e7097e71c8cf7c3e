import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { DEFAULT_SEED, loadLab, type LoadResult } from '@netlab/labs';

/** Format of the cache file; a file of another version is ignored. */
const VERSION = 1;

interface CacheFile {
  version: number;
  /** Stamp of the labs package's sources and the seed: another loader or seed invalidates all. */
  loader: string;
  labs: Record<string, { stamp: string; result: LoadResult }>;
}

/**
 * `loadLab` results (default seed) kept on disk between starts, one per lab folder: parsing and
 * validating the catalog's YAML is most of the server's start-up CPU after module loading. An entry
 * is used only while every file of its folder has the same size, mtime (ns) and inode, and the labs
 * package's sources are unchanged; otherwise the folder is loaded again. Only valid labs are kept
 * (they can only name files inside their folder: the schema's `steps/x.md` patterns), and only
 * results that survive a JSON round trip unchanged. A missing, stale or corrupt file costs one full
 * load, never a wrong catalog.
 */
export class LabLoadCache {
  private readonly loader = loaderStamp();
  private cached: CacheFile['labs'] = {};
  private next: CacheFile['labs'] = {};
  private changed = false;
  /** Folders loaded from the cache / parsed since the last {@link save} (tests, logs). */
  hits = 0;
  misses = 0;

  /** `file` undefined: no cache (every load parses). */
  constructor(private readonly file: string | undefined) {
    if (!file || !this.loader) return;
    try {
      const data = JSON.parse(readFileSync(file, 'utf8')) as CacheFile;
      if (data.version === VERSION && data.loader === this.loader) this.cached = data.labs;
    } catch {
      // none yet, or unreadable: start empty
    }
  }

  /** The lab in `dir`, from the cache when its folder is unchanged. */
  load(dir: string): LoadResult {
    if (!this.file || !this.loader) return loadLab(dir);
    const stamp = folderStamp(dir);
    const hit = this.cached[dir];
    if (hit && hit.stamp === stamp) {
      this.hits++;
      this.next[dir] = hit;
      return hit.result;
    }
    this.misses++;
    const result = loadLab(dir);
    if (result.ok && isDeepStrictEqual(JSON.parse(JSON.stringify(result)), result)) {
      this.next[dir] = { stamp, result };
    }
    this.changed = true;
    return result;
  }

  /** Writes the entries of the folders loaded since the last save (a removed lab is dropped). */
  save(): void {
    const dropped = Object.keys(this.cached).some((dir) => !(dir in this.next));
    const labs = this.next;
    this.cached = labs;
    this.next = {};
    this.hits = 0;
    this.misses = 0;
    if (!this.file || !this.loader || (!this.changed && !dropped)) return;
    this.changed = false;
    const data: CacheFile = { version: VERSION, loader: this.loader, labs };
    const staging = `${this.file}.tmp-${process.pid}`;
    mkdirSync(dirname(this.file), { recursive: true, mode: 0o700 });
    writeFileSync(staging, JSON.stringify(data), { mode: 0o600 });
    renameSync(staging, this.file);
  }
}

/** Size, mtime (ns) and inode of every file under `dir`, hashed. */
function folderStamp(dir: string): string {
  const h = createHash('sha256');
  stampTree(h, dir, dir);
  return h.digest('hex');
}

function stampTree(
  h: ReturnType<typeof createHash>,
  root: string,
  dir: string,
  include: (name: string) => boolean = () => true,
): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  );
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      stampTree(h, root, path, include);
      continue;
    }
    if (!include(e.name)) continue;
    const s = statSync(path, { bigint: true });
    h.update(`${relative(root, path)}\0${s.size}\0${s.mtimeNs}\0${s.ino}\0`);
  }
}

/** Stamp of the labs package (package.json and sources) and the default seed; undefined when not found. */
function loaderStamp(): string | undefined {
  try {
    const src = dirname(createRequire(import.meta.url).resolve('@netlab/labs')); // labs/src
    const h = createHash('sha256');
    h.update(`${VERSION}\0${DEFAULT_SEED}\0${process.versions.node}\0`);
    stampTree(h, src, src, (name) => !name.endsWith('.spec.ts'));
    const s = statSync(join(src, '..', 'package.json'), { bigint: true });
    h.update(`package.json\0${s.size}\0${s.mtimeNs}\0`);
    return h.digest('hex');
  } catch {
    return undefined; // no sources next to the package: cache nothing rather than risk a stale loader
  }
}
