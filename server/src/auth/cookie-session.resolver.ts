import { Inject, Injectable } from '@nestjs/common';
import type { SessionResolver, SessionUser } from './auth.types';
import { readCookie, SESSION_COOKIE } from './session-cookie';
import { SessionService, type LiveSession } from './session.service';

/** Resolves the session cookie of a raw `Cookie` header: the HTTP guard and the terminal upgrade use it. */
@Injectable()
export class CookieSessionResolver implements SessionResolver {
  constructor(@Inject(SessionService) private readonly sessions: SessionService) {}

  async fromCookieHeader(cookieHeader: string | undefined): Promise<SessionUser | null> {
    return (await this.sessionOf(cookieHeader))?.user ?? null;
  }

  async sessionOf(cookieHeader: string | undefined): Promise<LiveSession | null> {
    const token = readCookie(cookieHeader, SESSION_COOKIE);
    return token ? this.sessions.resolve(token) : null;
  }
}
