import { Inject, Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { Role, SessionUser } from './auth.types';
import { roleFromDb, roleToDb } from './role-mapping';

/** A user with the fields sign-in needs. */
export interface UserWithPassword extends SessionUser {
  passwordHash: string;
  disabledAt: Date | null;
}

/** A new account. */
export interface NewUser {
  email: string;
  displayName: string;
  passwordHash: string;
  role: Role;
}

/** Users in the User table; emails are stored lower-cased and trimmed (callers normalise). */
@Injectable()
export class UserRepository {
  constructor(@Inject(DatabaseService) private readonly db: DatabaseService) {}

  async findByEmail(email: string): Promise<UserWithPassword | null> {
    const row = await this.db.prisma.user.findUnique({ where: { email } });
    return row && { ...pick(row), passwordHash: row.passwordHash, disabledAt: row.disabledAt };
  }

  /** Creates the user; null when the email is taken (a unique violation, not an exception). */
  async create(user: NewUser): Promise<SessionUser | null> {
    try {
      const row = await this.db.prisma.user.create({ data: { ...user, role: roleToDb(user.role) } });
      return pick(row);
    } catch (error) {
      if ((error as { code?: string }).code === 'P2002') return null;
      throw error;
    }
  }

  async setPassword(userId: string, passwordHash: string): Promise<void> {
    await this.db.prisma.user.update({ where: { id: userId }, data: { passwordHash } });
  }

  async setRole(userId: string, role: Role): Promise<void> {
    await this.db.prisma.user.update({ where: { id: userId }, data: { role: roleToDb(role) } });
  }
}

function pick(row: {
  id: string;
  email: string;
  displayName: string;
  role: Parameters<typeof roleFromDb>[0];
}): SessionUser {
  return { id: row.id, email: row.email, displayName: row.displayName, role: roleFromDb(row.role) };
}
