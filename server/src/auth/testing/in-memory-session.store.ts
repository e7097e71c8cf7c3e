import type { SessionOwner, SessionRecord, SessionStore } from '../session.store';

/** A strict in-memory {@link SessionStore} for tests of the layers above sessions. */
export class InMemorySessionStore implements SessionStore {
  readonly rows = new Map<string, SessionRecord>();
  readonly owners = new Map<string, SessionOwner>();
  touches = 0;

  async insert(row: SessionRecord): Promise<void> {
    if (!this.owners.has(row.userId)) throw new Error(`InMemorySessionStore: no user ${row.userId}`);
    this.rows.set(row.id, { ...row });
  }
  async findWithOwner(id: string) {
    const session = this.rows.get(id);
    const owner = session && this.owners.get(session.userId);
    return session && owner ? { session: { ...session }, owner: { ...owner } } : null;
  }
  async touch(id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    this.touches++;
    const row = this.rows.get(id);
    if (row) Object.assign(row, { lastSeenAt, expiresAt });
  }
  async delete(id: string): Promise<void> {
    this.rows.delete(id);
  }
  async deleteForUser(userId: string): Promise<number> {
    return this.deleteWhere((r) => r.userId === userId);
  }
  async deleteExpired(now: Date): Promise<number> {
    return this.deleteWhere((r) => r.expiresAt <= now);
  }
  private deleteWhere(pred: (r: SessionRecord) => boolean): number {
    const ids = [...this.rows.values()].filter(pred).map((r) => r.id);
    ids.forEach((id) => this.rows.delete(id));
    return ids.length;
  }
}
