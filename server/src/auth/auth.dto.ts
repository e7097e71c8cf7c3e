import { z } from 'zod';
import { requiredString } from '../common/zod-fields';

const Email = requiredString()
  .trim()
  .toLowerCase()
  .pipe(z.email({ error: 'expected an email address such as ada@example.com' }))
  .describe('Email address; case and surrounding spaces are ignored');

/** POST /api/auth/login */
export const LoginBody = z.object({
  email: Email,
  password: requiredString().min(1, { error: 'must not be empty' }).max(1024),
});
export type LoginBody = z.output<typeof LoginBody>;

/** POST /api/auth/register */
export const RegisterBody = z.object({
  email: Email,
  password: requiredString()
    .min(8, { error: 'must be at least 8 characters' })
    .max(256, { error: 'must be at most 256 characters' }),
  displayName: requiredString()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(80, { error: 'must be at most 80 characters' }),
  invite: requiredString().trim().min(1).max(200).optional(),
});
export type RegisterBody = z.output<typeof RegisterBody>;

/** A user on the wire. */
export const UserView = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(['learner', 'instructor', 'admin']),
});

/** Login and register answer the user and the CSRF token bound to the new session. */
export const SignedInResponse = z.object({
  user: UserView,
  csrfToken: z.string().describe('Send as x-csrf-token from now on (the token is bound to this session)'),
});
export const MeResponse = z.object({ user: UserView });
export const CsrfResponse = z.object({ token: z.string() });
export const AuthConfigResponse = z.object({ registration: z.enum(['open', 'invite', 'closed']) });
