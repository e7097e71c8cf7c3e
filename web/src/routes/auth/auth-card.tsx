import type { ReactNode } from 'react';

/** The centred card the sign-in and register forms sit in, with the product's pitch beside it. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle: string;
  children: ReactNode;
  footer: ReactNode;
}) {
  return (
    <div className="auth">
      <section className="auth-pitch" aria-hidden="true">
        <p className="auth-kicker">Kubernetes networking, hands on</p>
        <p className="auth-headline">
          Your own broken cluster. A real terminal. A grader that probes the fix.
        </p>
        <ul className="auth-points">
          <li>Services, DNS, NetworkPolicies and CNI faults, one lab at a time</li>
          <li>Checks turn green the moment your fix works</li>
          <li>See the packet's path and where it breaks</li>
        </ul>
      </section>
      <section className="auth-card card">
        <h1 className="auth-title">{title}</h1>
        <p className="muted auth-subtitle">{subtitle}</p>
        {children}
        <div className="auth-footer">{footer}</div>
      </section>
    </div>
  );
}

/** A labelled input with its error announced and tied to it (aria-describedby). */
export function Field({
  id,
  label,
  error,
  hint,
  ...input
}: {
  id: string;
  label: string;
  error?: string | undefined;
  hint?: string;
} & React.InputHTMLAttributes<HTMLInputElement>) {
  const described =
    [error ? `${id}-error` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        name={id}
        aria-invalid={error ? true : undefined}
        aria-describedby={described}
        {...input}
      />
      {hint && !error ? (
        <p id={`${id}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      ) : null}
    </div>
  );
}
