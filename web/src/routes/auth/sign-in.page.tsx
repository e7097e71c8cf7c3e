import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { ApiErrorCode, isApiError } from '../../api/api-error';
import { api, call, adoptCsrfToken } from '../../api/client';
import { keys } from '../../api/queries';
import { AuthCard, Field } from './auth-card';

/** Search params of /sign-in: where to go back to, and why the learner is here. */
export interface SignInSearch {
  redirect?: string | undefined;
  reason?: 'expired' | 'signed-out' | undefined;
}

export function SignInPage() {
  const search = useSearch({ from: '/sign-in' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const signIn = useMutation({
    mutationFn: () => call(() => api.POST('/api/auth/login', { body: { email: email.trim(), password } })),
    onSuccess: async ({ user, csrfToken }) => {
      adoptCsrfToken(csrfToken);
      queryClient.setQueryData(keys.me, user);
      await navigate({ to: search.redirect ?? '/', replace: true });
    },
  });

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    signIn.mutate();
  };

  const problem = signIn.error ? signInMessage(signIn.error) : null;
  return (
    <AuthCard
      title="Sign in"
      subtitle="Pick up your labs where you left them."
      footer={
        <>
          New here?{' '}
          <Link to="/register" search={{ redirect: search.redirect }}>
            Create an account
          </Link>
        </>
      }
    >
      {search.reason === 'expired' && !signIn.error ? (
        <p className="notice notice-info" role="status">
          Your session expired. Sign in again and you will be back where you were.
        </p>
      ) : null}
      {search.reason === 'signed-out' && !signIn.error ? (
        <p className="notice notice-info" role="status">
          You are signed out.
        </p>
      ) : null}
      {problem ? (
        <p className="notice notice-danger" role="alert">
          {problem}
        </p>
      ) : null}
      <form onSubmit={onSubmit} className="form" noValidate>
        <Field
          id="email"
          label="Email"
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          autoFocus
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <button
          type="submit"
          className="btn btn-primary btn-block"
          disabled={signIn.isPending || !email || !password}
        >
          {signIn.isPending ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthCard>
  );
}

function signInMessage(error: unknown): string {
  if (isApiError(error, ApiErrorCode.InvalidCredentials))
    return 'That email and password do not match an account. Check both and try again.';
  if (isApiError(error, ApiErrorCode.TooManyAttempts)) {
    const wait = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    return `Too many sign-in attempts. Wait ${wait ? `${Math.ceil(wait)} seconds` : 'a minute'} and try again.`;
  }
  if (isApiError(error, ApiErrorCode.Unreachable))
    return 'The server cannot be reached. Check your connection and try again.';
  return isApiError(error) ? error.message : 'Signing in failed. Try again.';
}
