import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, Outlet, useNavigate, useRouterState } from '@tanstack/react-router';
import { api, call, forgetCsrfToken } from '../../api/client';
import { keys, meQuery } from '../../api/queries';
import { ConnectionBanner } from '../../components/connection-banner';
import { ThemeToggle } from '../../components/theme-toggle';

/** The frame of every page: a slim top bar with the brand, the navigation and the account. */
export function RootLayout() {
  const pathname = useRouterState({ select: (s) => s.location.pathname });
  const inRoom = /^\/attempts\/[^/]+/.test(pathname);
  return (
    <div className={inRoom ? 'shell shell-room' : 'shell'}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/" className="brand" aria-label="netlab home">
          <img src="/favicon.svg" alt="" width={22} height={22} />
          <span>netlab</span>
        </Link>
        <AppNav />
        <div className="topbar-end">
          <ThemeToggle />
          <Account />
        </div>
      </header>
      <ConnectionBanner />
      <main id="main" className="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}

function AppNav() {
  const { data: me } = useQuery(meQuery);
  if (!me) return <nav aria-label="Main" className="nav" />;
  return (
    <nav aria-label="Main" className="nav">
      <Link to="/" className="nav-link" activeOptions={{ exact: true, includeSearch: false }}>
        Labs
      </Link>
      <Link to="/attempts" className="nav-link" activeOptions={{ exact: true }}>
        My attempts
      </Link>
    </nav>
  );
}

function Account() {
  const { data: me } = useQuery(meQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const signOut = useMutation({
    mutationFn: () => call(() => api.POST('/api/auth/logout')),
    onSettled: async () => {
      forgetCsrfToken();
      queryClient.clear();
      queryClient.setQueryData(keys.me, null);
      await navigate({ to: '/sign-in', search: { reason: 'signed-out' } });
    },
  });
  if (!me) return null;
  return (
    <div className="account">
      <span className="avatar" aria-hidden="true">
        {initials(me.displayName)}
      </span>
      <span className="account-name" title={me.email}>
        {me.displayName}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-sm"
        onClick={() => signOut.mutate()}
        disabled={signOut.isPending}
      >
        Sign out
      </button>
    </div>
  );
}

const initials = (name: string) =>
  name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('') || '?';
