import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DatabaseService } from '../database/database.service';
import type { Role } from './auth.types';
import { roleFromDb, roleToDb } from './role-mapping';

/** An unused, unexpired invite claimed for one registration. */
export interface ClaimedInvite {
  id: string;
  role: Role;
}

/** The SHA-256 (hex) of an invite code: the only form in which codes are stored. */
export function inviteHashOf(code: string): string {
  return createHash('sha256').update(code.trim()).digest('hex');
}

/** Invites in the Invite table (NETLAB_REGISTRATION=invite). */
@Injectable()
export class InviteRepository {
  constructor(@Inject(DatabaseService) private readonly db: DatabaseService) {}

  async create(
    code: string,
    options: { role: Role; email?: string; expiresAt: Date; createdById?: string },
  ): Promise<void> {
    await this.db.prisma.invite.create({
      data: {
        codeHash: inviteHashOf(code),
        role: roleToDb(options.role),
        email: options.email ?? null,
        expiresAt: options.expiresAt,
        createdById: options.createdById ?? null,
      },
    });
  }

  /**
   * Marks the invite used, atomically, when it exists, is unused, unexpired and (if it names an
   * email) names this one; otherwise null.
   */
  async claim(code: string, email: string, now: Date): Promise<ClaimedInvite | null> {
    const invite = await this.db.prisma.invite.findUnique({ where: { codeHash: inviteHashOf(code) } });
    if (!invite || invite.usedAt || invite.expiresAt <= now) return null;
    if (invite.email && invite.email.toLowerCase() !== email) return null;
    const { count } = await this.db.prisma.invite.updateMany({
      where: { id: invite.id, usedAt: null },
      data: { usedAt: now },
    });
    return count === 1 ? { id: invite.id, role: roleFromDb(invite.role) } : null;
  }

  /** Gives an invite back when the registration it was claimed for failed. */
  async release(id: string): Promise<void> {
    await this.db.prisma.invite.updateMany({ where: { id }, data: { usedAt: null } });
  }
}
