import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, redirect } from '@tanstack/react-router';
import { attemptQuery, labsQuery, meQuery } from './api/queries';
import { handleSessionExpired } from './query-client';
import { AttemptsPage } from './routes/attempts/attempts.page';
import { RegisterPage } from './routes/auth/register.page';
import { SignInPage, type SignInSearch } from './routes/auth/sign-in.page';
import { CatalogPage, parseCatalogSearch } from './routes/catalog/catalog.page';
import { NotFoundPage } from './routes/root/not-found.page';
import { RootLayout } from './routes/root/root-layout';
import { RouteError } from './routes/root/route-error';

/** What every route's loader and beforeLoad can use. */
export interface RouterContext {
  queryClient: QueryClient;
}

const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: RootLayout,
  notFoundComponent: NotFoundPage,
  errorComponent: RouteError,
});

const safeRedirect = (value: unknown): string | undefined =>
  typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') ? value : undefined;

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (s: Record<string, unknown>): SignInSearch => ({
    redirect: safeRedirect(s.redirect),
    reason: s.reason === 'expired' || s.reason === 'signed-out' ? s.reason : undefined,
  }),
  component: SignInPage,
});

const registerRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/register',
  validateSearch: (s: Record<string, unknown>): { redirect?: string | undefined } => ({
    redirect: safeRedirect(s.redirect),
  }),
  component: RegisterPage,
});

/** Everything below needs a session; without one the learner signs in and comes back here. */
const signedInRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: async ({ context, location }) => {
    const me = await context.queryClient.ensureQueryData(meQuery);
    if (!me) throw redirect({ to: '/sign-in', search: { redirect: location.href } });
    return { me };
  },
});

const catalogRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/',
  validateSearch: parseCatalogSearch,
  component: CatalogPage,
});

const attemptsRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/attempts',
  component: AttemptsPage,
});

// The lab room carries xterm.js and the diagrams: its code loads only when a learner opens it.
const labRoomRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/attempts/$attemptId',
  // The room's data starts loading with its code, not after it (they came one after the other).
  loader: ({ context, params }) => {
    void context.queryClient.prefetchQuery(attemptQuery(params.attemptId));
    void context.queryClient.prefetchQuery(labsQuery);
  },
}).lazy(() => import('./routes/lab-room/lab-room.route').then((m) => m.Route));

const routeTree = rootRoute.addChildren([
  signInRoute,
  registerRoute,
  signedInRoute.addChildren([catalogRoute, attemptsRoute, labRoomRoute]),
]);

export function createAppRouter(queryClient: QueryClient) {
  const router = createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: 'intent',
    defaultPreloadStaleTime: 0,
    scrollRestoration: true,
  });
  handleSessionExpired(() => {
    const here = router.state.location.href;
    if (router.state.location.pathname === '/sign-in') return;
    void router.navigate({ to: '/sign-in', search: { redirect: here, reason: 'expired' } });
  });
  return router;
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
