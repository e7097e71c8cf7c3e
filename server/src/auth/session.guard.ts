import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AppError, AppErrorCode } from '../common/app-error';
import { IS_PUBLIC, ROLES } from './auth.decorators';
import type { AuthenticatedRequest } from './auth-request';
import type { Role } from './auth.types';
import { CookieSessionResolver } from './cookie-session.resolver';
import { CSRF_HEADER, CsrfTokens } from './csrf-tokens';
import { PRESESSION_COOKIE, readCookie } from './session-cookie';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The global guard: resolves the session cookie, then refuses anonymous callers (401) unless the
 * route is `@Public()`, callers of the wrong role (403), and state-changing requests without a
 * valid `x-csrf-token` (403 CSRF_INVALID).
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(CookieSessionResolver) private readonly resolver: CookieSessionResolver,
    @Inject(CsrfTokens) private readonly csrf: CsrfTokens,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const req = ctx.switchToHttp().getRequest<AuthenticatedRequest>();
    const session = await this.resolver.sessionOf(req.headers.cookie);
    req.auth = { user: session?.user ?? null, sessionId: session?.id ?? null };

    const targets = [ctx.getHandler(), ctx.getClass()];
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets);
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (!session && (!isPublic || roles)) {
      throw new AppError(AppErrorCode.UNAUTHENTICATED, 'Sign in to continue.');
    }
    if (session && roles && !roles.includes(session.user.role)) {
      throw new AppError(
        AppErrorCode.FORBIDDEN,
        `This needs the ${roles.join(' or ')} role; you are signed in as ${session.user.role}.`,
      );
    }
    if (!SAFE_METHODS.has(req.method)) {
      const presession = readCookie(req.headers.cookie, PRESESSION_COOKIE);
      const binding = session ? { sessionId: session.id } : presession ? { presession } : null;
      const token = req.headers[CSRF_HEADER];
      if (!this.csrf.verify(binding, typeof token === 'string' ? token : undefined)) {
        throw new AppError(
          AppErrorCode.CSRF_INVALID,
          `Missing or stale CSRF token: send the token from GET /api/auth/csrf in the ${CSRF_HEADER} header (fetch a new one after signing in or out).`,
        );
      }
    }
    return true;
  }
}
