import { createHash } from 'node:crypto';
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, join } from 'node:path';
import { listLabDirs } from '@netlab/labs';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { userCacheDir } from '../common/user-cache-dir';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { LabDetail, LabSummary } from './catalog.dto';
import { LabLoadCache } from './lab-load.cache';
import { detailOf, summaryOf, type CatalogEntry } from './lab-view';

/** Changes closer together than this reload the catalog once. */
export const RELOAD_DEBOUNCE_MS = 200;

interface Snapshot {
  entries: Map<string, CatalogEntry>;
  summaries: LabSummary[];
  details: Map<string, LabDetail>;
}

/**
 * The labs of NETLAB_LABS_DIR, loaded with the default seed and kept in memory; reloaded (debounced)
 * when any file under the folder changes. Views are computed once per reload, so listing is cheap.
 */
@Injectable()
export class LabCatalog implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('LabCatalog');
  private snapshot: Snapshot = { entries: new Map(), summaries: [], details: new Map() };
  private watcher: FSWatcher | undefined;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly loads: LabLoadCache;
  readonly dir: string;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.dir = config.labsDir;
    // In the user's cache, not the data dir: a new data dir (a first start, a test's server) starts
    // with the labs already parsed. One file per labs folder.
    const folder = createHash('sha256').update(this.dir).digest('hex').slice(0, 16);
    this.loads = new LabLoadCache(join(userCacheDir(), `labs-${folder}.json`));
  }

  onModuleInit(): void {
    this.reload();
    this.watch();
  }

  onModuleDestroy(): void {
    clearTimeout(this.timer);
    this.watcher?.close();
  }

  /** Every lab, valid or not, sorted by slug. */
  list(): LabSummary[] {
    return this.snapshot.summaries;
  }

  detail(slug: string): LabDetail | undefined {
    return this.snapshot.details.get(slug);
  }

  entry(slug: string): CatalogEntry | undefined {
    return this.snapshot.entries.get(slug);
  }

  /** Called after each reload (tests wait on it). */
  onReload(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Loads every lab folder again; a lab whose id collides with another's is listed as invalid. */
  reload(): void {
    const entries = new Map<string, CatalogEntry>();
    for (const dir of listLabDirs(this.dir)) {
      const result = this.loads.load(dir);
      const folder = basename(dir);
      let entry: CatalogEntry = result.ok
        ? { slug: result.lab.definition.id, dir, valid: true, lab: result.lab }
        : { slug: folder, dir, valid: false, problems: result.problems };
      if (entries.has(entry.slug)) {
        entry = {
          slug: folder,
          dir,
          valid: false,
          problems: [
            { file: `${dir}/lab.yaml`, path: 'id', message: `"${entry.slug}" is the id of another lab` },
          ],
        };
      }
      entries.set(entry.slug, entry);
    }
    const { hits } = this.loads;
    this.saveLoads();
    const sorted = [...entries.values()].sort((a, b) => a.slug.localeCompare(b.slug));
    this.snapshot = {
      entries,
      summaries: sorted.map((e) => summaryOf(e, this.dir)),
      details: new Map(sorted.map((e) => [e.slug, detailOf(e, this.dir)])),
    };
    const invalid = sorted.filter((e) => !e.valid).length;
    this.logger.log(
      `loaded ${sorted.length} lab(s) from ${this.dir}${invalid ? `, ${invalid} invalid` : ''} (${hits} unchanged since the last load, from its cache)`,
    );
    for (const listener of this.listeners) listener();
  }

  private saveLoads(): void {
    try {
      this.loads.save();
    } catch (error) {
      this.logger.warn(`cannot keep the parsed labs for the next start: ${(error as Error).message}`);
    }
  }

  private watch(): void {
    if (!existsSync(this.dir)) {
      this.logger.warn(`NETLAB_LABS_DIR ${this.dir} does not exist: the catalog is empty`);
      return;
    }
    try {
      this.watcher = watch(this.dir, { recursive: true }, () => this.scheduleReload());
      this.watcher.on('error', (error) => this.logger.warn(`watching ${this.dir} stopped: ${error.message}`));
    } catch (error) {
      this.logger.warn(`cannot watch ${this.dir} for changes: ${(error as Error).message}`);
    }
  }

  private scheduleReload(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      try {
        this.reload();
      } catch (error) {
        this.logger.error(`reloading the catalog failed: ${(error as Error).message}`);
      }
    }, RELOAD_DEBOUNCE_MS);
  }
}
