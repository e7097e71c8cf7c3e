import { Inject, Injectable } from '@nestjs/common';
import { AppError, AppErrorCode } from '../common/app-error';
import { CLOCK, type Clock } from '../common/clock';
import { APP_CONFIG, type AppConfig } from '../config/app-config';
import type { LoginBody, RegisterBody } from './auth.dto';
import type { Role, SessionUser } from './auth.types';
import { InviteRepository } from './invite.repository';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SessionService, type NewSession } from './session.service';
import { UserRepository } from './user.repository';

/** Who is calling: the address throttling counts against, and what the session row records. */
export interface CallerInfo {
  ip: string;
  userAgent?: string;
}

/** A user who just signed in and their new session. */
export interface SignedIn {
  user: SessionUser;
  session: NewSession;
}

/** Sign-in, registration and sign-out. Refusals never say whether an email has an account. */
@Injectable()
export class AuthService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(UserRepository) private readonly users: UserRepository,
    @Inject(InviteRepository) private readonly invites: InviteRepository,
    @Inject(PasswordHasher) private readonly hasher: PasswordHasher,
    @Inject(SessionService) private readonly sessions: SessionService,
    @Inject(LoginThrottle) private readonly throttle: LoginThrottle,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async login(body: LoginBody, caller: CallerInfo): Promise<SignedIn> {
    await this.throttle.check(body.email, caller.ip);
    const user = await this.users.findByEmail(body.email);
    const ok =
      user && !user.disabledAt
        ? await this.hasher.verify(user.passwordHash, body.password)
        : await this.hasher.verifyNothing(body.password);
    if (!user || !ok) {
      await this.throttle.failed(body.email, caller.ip);
      throw new AppError(
        AppErrorCode.INVALID_CREDENTIALS,
        'Wrong email or password. Check both and try again, or ask an admin to reset your password.',
      );
    }
    await this.throttle.succeeded(body.email);
    const { passwordHash: _hash, disabledAt: _disabled, ...sessionUser } = user;
    return { user: sessionUser, session: await this.sessions.create(user.id, caller) };
  }

  async register(body: RegisterBody, caller: CallerInfo): Promise<SignedIn> {
    await this.throttle.check(null, caller.ip);
    let role: Role = 'learner';
    let inviteId: string | undefined;
    switch (this.config.registration) {
      case 'closed':
        throw new AppError(
          AppErrorCode.REGISTRATION_CLOSED,
          'Registration is closed on this server; ask an admin to create your account.',
        );
      case 'invite': {
        const invite = body.invite && (await this.invites.claim(body.invite, body.email, this.clock.now()));
        if (!invite) {
          await this.throttle.failed(null, caller.ip);
          throw new AppError(
            AppErrorCode.INVITE_INVALID,
            'This server registers by invitation: the invite code is missing, wrong, used or expired. Ask your instructor for a new one.',
            [{ path: 'invite', message: 'is not a valid invite code for this email' }],
          );
        }
        role = invite.role;
        inviteId = invite.id;
        break;
      }
      case 'open':
        break;
    }
    const passwordHash = await this.hasher.hash(body.password);
    const user = await this.users.create({
      email: body.email,
      displayName: body.displayName,
      passwordHash,
      role,
    });
    if (!user) {
      if (inviteId) await this.invites.release(inviteId);
      await this.throttle.failed(null, caller.ip);
      throw new AppError(
        AppErrorCode.REGISTRATION_REFUSED,
        'Could not register with these details. If you already have an account, sign in instead (an admin can reset a forgotten password).',
      );
    }
    return { user, session: await this.sessions.create(user.id, caller) };
  }

  async logout(sessionId: string): Promise<void> {
    await this.sessions.revoke(sessionId);
  }
}
