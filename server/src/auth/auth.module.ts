import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { CLOCK, systemClock } from '../common/clock';
import { AuthController } from './auth.controller';
import { AuthService } from './auth.service';
import { SESSION_RESOLVER } from './auth.types';
import { CookieSessionResolver } from './cookie-session.resolver';
import { CsrfTokens } from './csrf-tokens';
import { InviteRepository } from './invite.repository';
import { InvitesController } from './invites.controller';
import { LoginThrottle } from './login-throttle';
import { PasswordHasher } from './password-hasher';
import { SessionGuard } from './session.guard';
import { SessionRepository } from './session.repository';
import { SessionService } from './session.service';
import { SESSION_STORE } from './session.store';
import { UserRepository } from './user.repository';

/**
 * Accounts and sessions. Global: its guard protects every route (opt out with `@Public()`), and
 * SESSION_RESOLVER (the terminal gateway's upgrade check) can be injected anywhere.
 * Needs APP_CONFIG and DatabaseService from the config and database modules.
 */
@Global()
@Module({
  controllers: [AuthController, InvitesController],
  providers: [
    { provide: CLOCK, useValue: systemClock },
    { provide: SESSION_STORE, useClass: SessionRepository },
    { provide: SESSION_RESOLVER, useExisting: CookieSessionResolver },
    { provide: APP_GUARD, useClass: SessionGuard },
    AuthService,
    CookieSessionResolver,
    CsrfTokens,
    InviteRepository,
    LoginThrottle,
    PasswordHasher,
    SessionService,
    UserRepository,
  ],
  exports: [
    SESSION_RESOLVER,
    CLOCK,
    SessionService,
    UserRepository,
    InviteRepository,
    PasswordHasher,
    CsrfTokens,
  ],
})
export class AuthModule {}
