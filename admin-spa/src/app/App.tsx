import { useEffect, useMemo, useState } from 'react';
import {
  createBrowserRouter,
  createRoutesFromElements,
  Navigate,
  Route,
  RouterProvider,
  useParams,
  useRouteError,
} from 'react-router';
import { Provider } from 'urql';
import { InvitePage } from '../account/InvitePage';
import { AuthProvider, useAuth } from '../auth/AuthProvider';
import { RequireAuth } from '../auth/RequireAuth';
import { SignInPage } from '../auth/SignInPage';
import { ToastProvider } from '../components/Toasts';
import { I18nProvider } from '../i18n/I18nProvider';
import { LiveLeadsProvider } from '../orders/LiveLeads';
import { OrderPage } from '../orders/OrderPage';
import { OrdersPage } from '../orders/OrdersPage';
import { createApiClient } from './client';
import { LiveConnectionContext, type LiveConnection } from './reconnects';
import { ErrorBoundary } from './ErrorBoundary';
import { Layout } from './Layout';
import { lazyScreen } from './LazyScreen';
import { NotFound } from './NotFound';

// The statistics screen brings the chart library; it loads when first opened (and says so in
// its place, menu kept, when it cannot). So do the screens an owner opens now and then
// (services, settings, notifications, the account and its admins), which keeps the first load
// within its budget.
const StatsPage = lazyScreen(() => import('../stats/StatsPage'));
const ServicesPage = lazyScreen(() =>
  import('../services/ServicesPage').then((m) => ({ default: m.ServicesPage })),
);
const SettingsPage = lazyScreen(() =>
  import('../settings/SettingsPage').then((m) => ({ default: m.SettingsPage })),
);
const AccountPage = lazyScreen(() =>
  import('../account/AccountPage').then((m) => ({ default: m.AccountPage })),
);
const NotificationsPage = lazyScreen(() =>
  import('../notifications/NotificationsPage').then((m) => ({ default: m.NotificationsPage })),
);

/** `/admin/leads/<id>`: the card's address in notifications. */
function LeadLink() {
  const { id } = useParams();
  return <Navigate to={`/orders/${id ?? ''}`} replace />;
}

function Api({ children }: { children: React.ReactNode }) {
  const { session, signOut } = useAuth();
  const token = session?.token ?? null;
  const [live, setLive] = useState<LiveConnection>({ reconnects: 0, down: false });
  const api = useMemo(
    () =>
      createApiClient(token, {
        // Only this token's session: a late refusal of an older token ends nothing.
        onUnauthenticated: () => {
          if (token) signOut('expired', token);
        },
        onDisconnected: () => setLive((prev) => (prev.down ? prev : { ...prev, down: true })),
        onReconnected: () => setLive((prev) => ({ reconnects: prev.reconnects + 1, down: false })),
      }),
    [token, signOut],
  );
  useEffect(() => api.dispose, [api]);
  // A new client (another token) starts connected: the old one's outage is not its own.
  const [liveApi, setLiveApi] = useState(api);
  if (liveApi !== api) {
    setLiveApi(api);
    setLive((prev) => ({ ...prev, down: false }));
  }
  return (
    <Provider value={api.client}>
      <LiveConnectionContext value={live}>{children}</LiveConnectionContext>
    </Provider>
  );
}

/** A screen's render error goes on to the app's `ErrorBoundary` (its message and reload
 * button), as under the plain router, rather than to the data router's built-in page. */
function Rethrow(): never {
  throw useRouteError();
}

// A data router (not `<BrowserRouter>`): react-router's `useBlocker`, which asks before leaving
// a form with unsaved changes (settings), works only with one.
const routes = createRoutesFromElements(
  <Route errorElement={<Rethrow />}>
    <Route path="/login" element={<SignInPage />} />
    <Route path="/invite" element={<InvitePage />} />
    <Route
      element={
        <RequireAuth>
          <LiveLeadsProvider>
            <Layout />
          </LiveLeadsProvider>
        </RequireAuth>
      }
    >
      <Route index element={<Navigate to="/orders" replace />} />
      <Route path="orders" element={<OrdersPage />} />
      <Route path="orders/:id" element={<OrderPage />} />
      <Route path="leads/:id" element={<LeadLink />} />
      <Route path="services" element={<ServicesPage />} />
      <Route path="notifications" element={<NotificationsPage />} />
      <Route path="settings" element={<SettingsPage />} />
      <Route path="account" element={<AccountPage />} />
      <Route path="stats" element={<StatsPage />} />
      <Route path="*" element={<NotFound />} />
    </Route>
  </Route>,
);

/** One router for the page's life, made when the app first renders. */
let router: ReturnType<typeof createBrowserRouter> | undefined;
const appRouter = () => (router ??= createBrowserRouter(routes, { basename: '/admin' }));

export function App() {
  return (
    <I18nProvider>
      <ErrorBoundary>
        <AuthProvider>
          <Api>
            <ToastProvider>
              <RouterProvider router={appRouter()} />
            </ToastProvider>
          </Api>
        </AuthProvider>
      </ErrorBoundary>
    </I18nProvider>
  );
}
