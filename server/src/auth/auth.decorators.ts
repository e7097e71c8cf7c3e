import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import type { Role, SessionUser } from './auth.types';
import type { AuthenticatedRequest } from './auth-request';

/** Metadata key of {@link Public}. */
export const IS_PUBLIC = 'netlab:public';
/** Metadata key of {@link Roles}. */
export const ROLES = 'netlab:roles';

/** Opts a route (or controller) out of the global session guard: anonymous callers may use it. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Only these roles may use the route; others get 403 FORBIDDEN (anonymous callers 401). */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/**
 * The signed-in user (`SessionUser`) of the request; `null` only on `@Public()` routes when nobody
 * is signed in.
 */
export const CurrentUser = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext): SessionUser | null =>
    ctx.switchToHttp().getRequest<AuthenticatedRequest>().auth?.user ?? null,
);
