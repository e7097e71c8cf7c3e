import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { type FormEvent, useState } from 'react';
import { ApiErrorCode, isApiError } from '../../api/api-error';
import { api, call, adoptCsrfToken } from '../../api/client';
import { authConfigQuery, keys } from '../../api/queries';
import { AuthCard, Field } from './auth-card';

const FORM_FIELDS = ['displayName', 'email', 'password', 'invite'];

export function RegisterPage() {
  const search = useSearch({ from: '/register' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const config = useQuery(authConfigQuery);
  const [form, setForm] = useState({ displayName: '', email: '', password: '', invite: '' });
  const set = (k: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setForm({ ...form, [k]: e.target.value });

  const register = useMutation({
    mutationFn: () =>
      call(() =>
        api.POST('/api/auth/register', {
          body: {
            displayName: form.displayName.trim(),
            email: form.email.trim(),
            password: form.password,
            ...(form.invite.trim() ? { invite: form.invite.trim() } : {}),
          },
        }),
      ),
    onSuccess: async ({ user, csrfToken }) => {
      adoptCsrfToken(csrfToken);
      queryClient.setQueryData(keys.me, user);
      await navigate({ to: search.redirect ?? '/', replace: true });
    },
  });

  const mode = config.data?.registration;
  const closed = mode === 'closed' || isApiError(register.error, ApiErrorCode.RegistrationClosed);
  const fields = isApiError(register.error, ApiErrorCode.ValidationFailed)
    ? register.error.fieldProblems
    : {};
  const general =
    register.error && !closed && !Object.keys(fields).some((k) => FORM_FIELDS.includes(k))
      ? isApiError(register.error)
        ? register.error.message
        : 'Registration failed. Try again.'
      : null;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    register.mutate();
  };

  return (
    <AuthCard
      title="Create your account"
      subtitle="Free, and your progress is kept."
      footer={
        <>
          Already have an account?{' '}
          <Link to="/sign-in" search={{ redirect: search.redirect }}>
            Sign in
          </Link>
        </>
      }
    >
      {closed ? (
        <p className="notice notice-warning" role="alert">
          Registration is closed on this server. Ask your instructor or the administrator for an account, then
          sign in.
        </p>
      ) : (
        <>
          {general ? (
            <p className="notice notice-danger" role="alert">
              {general}
            </p>
          ) : null}
          <form onSubmit={onSubmit} className="form" noValidate>
            <Field
              id="displayName"
              label="Your name"
              autoComplete="name"
              required
              value={form.displayName}
              onChange={set('displayName')}
              error={fields.displayName}
              autoFocus
            />
            <Field
              id="email"
              label="Email"
              type="email"
              autoComplete="email"
              required
              value={form.email}
              onChange={set('email')}
              error={fields.email}
            />
            <Field
              id="password"
              label="Password"
              type="password"
              autoComplete="new-password"
              required
              value={form.password}
              onChange={set('password')}
              error={fields.password}
              hint="At least 8 characters; a passphrase is best."
            />
            {mode === 'invite' ? (
              <Field
                id="invite"
                label="Invite code"
                required
                value={form.invite}
                onChange={set('invite')}
                error={fields.invite}
                hint="From your instructor's invitation."
              />
            ) : null}
            <button type="submit" className="btn btn-primary btn-block" disabled={register.isPending}>
              {register.isPending ? 'Creating your account…' : 'Create account'}
            </button>
          </form>
        </>
      )}
    </AuthCard>
  );
}
