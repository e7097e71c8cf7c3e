import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { CLOCK, type Clock } from '../common/clock';
import type { SessionUser } from './auth.types';
import { SESSION_STORE, type SessionRecord, type SessionStore } from './session.store';

/** How long sessions live. */
export const SESSION_POLICY = {
  /** A session unused this long ends (sliding: each use pushes it back). */
  idleMs: 7 * 24 * 3600_000,
  /** No session lives longer than this after sign-in, however busy. */
  absoluteMs: 30 * 24 * 3600_000,
  /** Writes of lastSeenAt are at most this frequent, so reads stay reads. */
  touchEveryMs: 60_000,
  /**
   * A resolved session is trusted from memory this long (one database read per session per period,
   * not per request). Sign-out in this process takes effect at once; on another replica within it.
   */
  cacheMs: 5_000,
  /**
   * In the last part of that period a use still answers from memory and re-reads the session in the
   * background, so a session in steady use never waits for the database (and never past cacheMs).
   */
  refreshAheadMs: 1_000,
  /** Sessions kept in that memory at most (oldest dropped first). */
  cacheSize: 10_000,
  /** Expired rows are deleted this often. */
  purgeEveryMs: 3600_000,
} as const;

/** A freshly created session: the token goes into the cookie and is never stored. */
export interface NewSession {
  token: string;
  id: string;
  expiresAt: Date;
}

/** A live session and its user. */
export interface LiveSession {
  id: string;
  user: SessionUser;
  expiresAt: Date;
}

/** The SHA-256 (hex) of a session token: the only form in which tokens are stored. */
export function sessionIdOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Server-side sessions: random cookie tokens, stored hashed, with sliding and absolute expiry. */
@Injectable()
export class SessionService implements OnModuleInit, OnModuleDestroy {
  private purgeTimer: NodeJS.Timeout | undefined;
  private readonly cache = new Map<string, { session: LiveSession; until: number }>();
  /** Store reads under way, by session id: concurrent requests of one session share one read. */
  private readonly reading = new Map<string, { revocations: number; session: Promise<LiveSession | null> }>();
  /** Bumped by every revocation: a read that overlapped one is not remembered. */
  private revocations = 0;
  private readonly logger = new Logger(SessionService.name);

  constructor(
    @Inject(SESSION_STORE) private readonly store: SessionStore,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.purgeTimer = setInterval(() => {
      this.purgeExpired().catch((error: unknown) =>
        new Logger('SessionService').warn(`purging expired sessions failed: ${String(error)}`),
      );
    }, SESSION_POLICY.purgeEveryMs);
    this.purgeTimer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.purgeTimer);
  }

  async create(userId: string, meta: { ip?: string; userAgent?: string } = {}): Promise<NewSession> {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const row: SessionRecord = {
      id: sessionIdOf(token),
      userId,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: expiryOf(now, now),
    };
    await this.store.insert({
      ...row,
      ip: meta.ip ?? null,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
    });
    return { token, id: row.id, expiresAt: row.expiresAt };
  }

  /** The live session of a cookie token, or null (unknown, expired, or its user disabled). */
  async resolve(token: string): Promise<LiveSession | null> {
    if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return null;
    const id = sessionIdOf(token);
    const now = this.clock.now();
    const cached = this.cache.get(id);
    if (cached && cached.until > now.getTime() && cached.session.expiresAt > now) {
      if (cached.until - now.getTime() <= SESSION_POLICY.refreshAheadMs && !this.reading.has(id)) {
        this.read(id).catch((error: unknown) =>
          this.logger.warn(`re-reading a session in the background failed: ${String(error)}`),
        );
      }
      return cached.session;
    }
    this.cache.delete(id);
    return this.read(id);
  }

  /** One store read of a session at a time (joined by whoever asks meanwhile), remembered when live. */
  private read(id: string): Promise<LiveSession | null> {
    const joined = this.reading.get(id);
    // A read begun before a sign-out may have seen the row: whoever asks after it reads again.
    if (joined && joined.revocations === this.revocations) return joined.session;
    const reading = {
      revocations: this.revocations,
      session: this.readStore(id).finally(() => {
        if (this.reading.get(id) === reading) this.reading.delete(id);
      }),
    };
    this.reading.set(id, reading);
    return reading.session;
  }

  private async readStore(id: string): Promise<LiveSession | null> {
    const revocations = this.revocations;
    const found = await this.store.findWithOwner(id);
    const now = this.clock.now();
    if (!found) {
      this.cache.delete(id);
      return null;
    }
    const { session, owner } = found;
    if (session.expiresAt <= now || owner.disabledAt) {
      this.cache.delete(id);
      await this.store.delete(id);
      return null;
    }
    let expiresAt = session.expiresAt;
    if (now.getTime() - session.lastSeenAt.getTime() >= SESSION_POLICY.touchEveryMs) {
      expiresAt = expiryOf(session.createdAt, now);
      await this.store.touch(id, now, expiresAt);
    }
    const user: SessionUser = {
      id: owner.id,
      email: owner.email,
      displayName: owner.displayName,
      role: owner.role,
    };
    const live = { id, user, expiresAt };
    if (this.revocations === revocations) this.remember(live, now);
    return live;
  }

  async revoke(sessionId: string): Promise<void> {
    await this.revoking(
      () => this.store.delete(sessionId),
      (session) => session.id === sessionId,
    );
  }

  /** Ends every session of a user (password reset, account disabled). */
  async revokeAllOf(userId: string): Promise<number> {
    return this.revoking(
      () => this.store.deleteForUser(userId),
      (session) => session.user.id === userId,
    );
  }

  /**
   * Deletes from the store and forgets the matching cached sessions, before and after the delete:
   * a read under way (it may have seen the row before the delete) is not remembered either.
   */
  private async revoking<T>(
    remove: () => Promise<T>,
    matches: (session: LiveSession) => boolean,
  ): Promise<T> {
    const forget = () => {
      this.revocations++;
      for (const [id, entry] of this.cache) if (matches(entry.session)) this.cache.delete(id);
    };
    forget();
    try {
      return await remove();
    } finally {
      forget();
    }
  }

  async purgeExpired(): Promise<number> {
    return this.store.deleteExpired(this.clock.now());
  }

  private remember(session: LiveSession, now: Date): void {
    this.cache.delete(session.id); // re-inserted last: the oldest stays first
    if (this.cache.size >= SESSION_POLICY.cacheSize) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    this.cache.set(session.id, { session, until: now.getTime() + SESSION_POLICY.cacheMs });
  }
}

function expiryOf(createdAt: Date, now: Date): Date {
  return new Date(
    Math.min(now.getTime() + SESSION_POLICY.idleMs, createdAt.getTime() + SESSION_POLICY.absoluteMs),
  );
}
