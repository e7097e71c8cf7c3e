import { Inject, Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import { roleFromDb } from './role-mapping';
import type { SessionOwner, SessionRecord, SessionStore } from './session.store';

/** Sessions in the Session table. */
@Injectable()
export class SessionRepository implements SessionStore {
  constructor(@Inject(DatabaseService) private readonly db: DatabaseService) {}

  async insert(row: SessionRecord & { ip: string | null; userAgent: string | null }): Promise<void> {
    await this.db.prisma.session.create({ data: row });
  }

  async findWithOwner(id: string): Promise<{ session: SessionRecord; owner: SessionOwner } | null> {
    const found = await this.db.prisma.session.findUnique({
      where: { id },
      select: {
        id: true,
        userId: true,
        createdAt: true,
        lastSeenAt: true,
        expiresAt: true,
        user: { select: { id: true, email: true, displayName: true, role: true, disabledAt: true } },
      },
    });
    if (!found) return null;
    const { user, ...session } = found;
    return { session, owner: { ...user, role: roleFromDb(user.role) } };
  }

  async touch(id: string, lastSeenAt: Date, expiresAt: Date): Promise<void> {
    await this.db.prisma.session.updateMany({ where: { id }, data: { lastSeenAt, expiresAt } });
  }

  async delete(id: string): Promise<void> {
    await this.db.prisma.session.deleteMany({ where: { id } });
  }

  async deleteForUser(userId: string): Promise<number> {
    return (await this.db.prisma.session.deleteMany({ where: { userId } })).count;
  }

  async deleteExpired(now: Date): Promise<number> {
    return (await this.db.prisma.session.deleteMany({ where: { expiresAt: { lte: now } } })).count;
  }
}
