import type { Role } from './auth.types';

/** A stored session row, keyed by the SHA-256 (hex) of the cookie token. */
export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
}

/** The user a session belongs to, as the session lookup needs it. */
export interface SessionOwner {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  disabledAt: Date | null;
}

/** Persistence of sessions (the Session table). */
export interface SessionStore {
  insert(row: SessionRecord & { ip: string | null; userAgent: string | null }): Promise<void>;
  findWithOwner(id: string): Promise<{ session: SessionRecord; owner: SessionOwner } | null>;
  touch(id: string, lastSeenAt: Date, expiresAt: Date): Promise<void>;
  delete(id: string): Promise<void>;
  deleteForUser(userId: string): Promise<number>;
  deleteExpired(now: Date): Promise<number>;
}
/** Nest injection token of the {@link SessionStore}. */
export const SESSION_STORE = Symbol('SessionStore');
