import type { Request } from 'express';
import type { SessionUser } from './auth.types';

/** What the session guard learned about a request's caller. */
export interface RequestAuth {
  user: SessionUser | null;
  /** The stored session id (SHA-256 of the cookie token), when the caller has a live session. */
  sessionId: string | null;
}

/** An Express request after the session guard ran. */
export interface AuthenticatedRequest extends Request {
  auth?: RequestAuth;
}
