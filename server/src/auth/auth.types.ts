/** The platform roles, lower-case on the wire (the database enum is upper-case). */
export type Role = 'learner' | 'instructor' | 'admin';

/** The signed-in user as every module sees it (from the session cookie). */
export interface SessionUser {
  id: string;
  email: string;
  displayName: string;
  role: Role;
}

/**
 * Resolves a session from a raw `Cookie` header: the HTTP guard uses it, and so does the terminal
 * gateway on the WebSocket upgrade request (which no Nest guard sees).
 */
export interface SessionResolver {
  fromCookieHeader(cookieHeader: string | undefined): Promise<SessionUser | null>;
}
/** Nest injection token of the {@link SessionResolver}. */
export const SESSION_RESOLVER = Symbol('SessionResolver');

/** Who may look at a learner's work besides the learner: instructors of a cohort they are in, and admins. */
export interface CohortAccess {
  canSupervise(viewer: SessionUser, learnerId: string): Promise<boolean>;
}
/** Nest injection token of the {@link CohortAccess}. */
export const COHORT_ACCESS = Symbol('CohortAccess');
