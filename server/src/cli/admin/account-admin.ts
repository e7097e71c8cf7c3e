import { z } from 'zod';
import type { Role } from '../../auth/auth.types';
import { PasswordHasher } from '../../auth/password-hasher';
import { SessionRepository } from '../../auth/session.repository';
import { UserRepository } from '../../auth/user.repository';
import type { DatabaseService } from '../../database/database.service';

/** Minimum password length for accounts made or reset from the CLI (the same as registration). */
export const MIN_PASSWORD = 8;

const Email = z.email();

/** Account chores done with the server stopped or on PostgreSQL: create an account, reset a password. */
export class AccountAdmin {
  private readonly users: UserRepository;
  private readonly sessions: SessionRepository;
  private readonly hasher = new PasswordHasher();

  constructor(db: DatabaseService) {
    this.users = new UserRepository(db);
    this.sessions = new SessionRepository(db);
  }

  async create(input: {
    email: string;
    role: Role;
    displayName?: string;
    password: string;
  }): Promise<string> {
    const email = normaliseEmail(input.email);
    checkPassword(input.password);
    const user = await this.users.create({
      email,
      displayName: input.displayName?.trim() || email.split('@')[0]!,
      passwordHash: await this.hasher.hash(input.password),
      role: input.role,
    });
    if (!user) {
      throw new Error(
        `an account with the email ${email} exists already; use: netlab admin reset-password --email ${email}`,
      );
    }
    return `created ${input.role} ${email}`;
  }

  /** Sets a new password and ends every session of the account. */
  async resetPassword(emailInput: string, password: string): Promise<string> {
    const email = normaliseEmail(emailInput);
    checkPassword(password);
    const user = await this.users.findByEmail(email);
    if (!user)
      throw new Error(
        `there is no account with the email ${email}; create one with: netlab admin create --email ${email}`,
      );
    await this.users.setPassword(user.id, await this.hasher.hash(password));
    const ended = await this.sessions.deleteForUser(user.id);
    return `password of ${email} changed; ${ended} session(s) signed out`;
  }
}

function normaliseEmail(raw: string): string {
  const email = raw.trim().toLowerCase();
  if (!Email.safeParse(email).success)
    throw new Error(`--email "${raw}" is not an email address (e.g. ada@example.com)`);
  return email;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD) {
    throw new Error(`the password must be at least ${MIN_PASSWORD} characters (got ${password.length})`);
  }
}
