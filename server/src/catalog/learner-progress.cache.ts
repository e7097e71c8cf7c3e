import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Unlisten } from '../database/database-connection';
import { DatabaseService } from '../database/database.service';
import type { LabProgressView } from './catalog.dto';
import { LEARNER_PROGRESS, type LearnerProgress } from './learner-progress';

/**
 * The NOTIFY channel of the `Attempt` trigger (migration `20261202022500_attempt_change_notify`):
 * its payload is the user id whose attempts changed, or empty after a TRUNCATE (everyone).
 */
export const ATTEMPT_CHANGED_CHANNEL = 'netlab_attempt_changed';

/** How many learners' progress is kept (least recently read dropped first): ~1 KiB each. */
export const MAX_CACHED_LEARNERS = 10_000;

/** Where change notifications come from: the database (any replica's commits reach every listener). */
export type ChangeFeed = Pick<DatabaseService, 'listen'>;

/**
 * LEARNER_PROGRESS with a per-learner cache, so `GET /api/labs` does not query the attempts on every
 * request. Exact, not time-based: an entry is dropped when the database notifies that the learner's
 * attempts changed (a trigger on `Attempt`, delivered at commit to every replica's listener), a read
 * that overlapped any change is not kept, and nothing is cached while not listening (before the
 * subscription, or after a PostgreSQL listener connection was lost, until it is back).
 */
@Injectable()
export class LearnerProgressCache implements LearnerProgress, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(LearnerProgressCache.name);
  private readonly entries = new Map<string, Map<string, LabProgressView>>();
  /** Bumped on every notification and subscription change: a read that saw it move is not cached. */
  private changes = 0;
  private unlisten: Unlisten | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = 0;
  private stopped = false;

  constructor(
    @Inject(LEARNER_PROGRESS) private readonly source: LearnerProgress,
    @Inject(DatabaseService) private readonly feed: ChangeFeed,
  ) {}

  /** Whether reads are served from and kept in the cache (listening for changes). */
  get listening(): boolean {
    return this.unlisten !== undefined;
  }

  /** Cached learners (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }

  async onModuleInit(): Promise<void> {
    await this.subscribe();
  }

  async forUser(userId: string): Promise<Map<string, LabProgressView>> {
    const hit = this.listening ? this.entries.get(userId) : undefined;
    if (hit) {
      this.entries.delete(userId); // re-inserted last: most recently used
      this.entries.set(userId, hit);
      return hit;
    }
    const before = this.changes;
    const progress = await this.source.forUser(userId);
    if (this.listening && this.changes === before) {
      this.entries.set(userId, progress);
      if (this.entries.size > MAX_CACHED_LEARNERS) {
        this.entries.delete(this.entries.keys().next().value!);
      }
    }
    return progress;
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const unlisten = this.unlisten;
    this.forget();
    // The database may have closed first (shutdown hooks run module by module): nothing to undo then.
    await unlisten?.().catch(() => {});
  }

  private async subscribe(): Promise<void> {
    try {
      const unlisten = await this.feed.listen(
        ATTEMPT_CHANGED_CHANNEL,
        (userId) => this.changed(userId),
        (error) => this.lost(error),
      );
      if (this.stopped) {
        await unlisten();
        return;
      }
      this.forget(); // whatever changed while not listening
      this.unlisten = unlisten;
      this.retryMs = 0;
    } catch (error) {
      this.lost(error as Error);
    }
  }

  private changed(userId: string): void {
    this.changes++;
    if (userId) this.entries.delete(userId);
    else this.entries.clear();
  }

  private lost(error: Error): void {
    this.forget();
    if (this.stopped) return;
    this.retryMs = Math.min(Math.max(this.retryMs * 2, 1000), 30_000);
    this.logger.warn(
      `not listening for attempt changes (${error.message}); the catalog reads progress from the database on every request until it listens again (retry in ${this.retryMs / 1000} s)`,
    );
    this.retryTimer = setTimeout(() => void this.subscribe(), this.retryMs);
    this.retryTimer.unref();
  }

  private forget(): void {
    this.unlisten = undefined;
    this.changes++;
    this.entries.clear();
  }
}
