import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { BrowserRouter, Navigate, Route, Routes, useParams } from 'react-router';
import { Provider } from 'urql';
import { AccountPage } from '../account/AccountPage';
import { InvitePage } from '../account/InvitePage';
import { AuthProvider, useAuth } from '../auth/AuthProvider';
import { RequireAuth } from '../auth/RequireAuth';
import { SignInPage } from '../auth/SignInPage';
import { ToastProvider } from '../components/Toasts';
import { Spinner } from '../components/Spinner';
import { I18nProvider } from '../i18n/I18nProvider';
import { NotificationsPage } from '../notifications/NotificationsPage';
import { LiveLeadsProvider } from '../orders/LiveLeads';
import { OrderPage } from '../orders/OrderPage';
import { OrdersPage } from '../orders/OrdersPage';
import { ServicesPage } from '../services/ServicesPage';
import { SettingsPage } from '../settings/SettingsPage';
import { createApiClient } from './client';
import { ReconnectsContext } from './reconnects';
import { ErrorBoundary } from './ErrorBoundary';
import { Layout } from './Layout';
import { NotFound } from './NotFound';

// The statistics screen brings the chart library; it loads when first opened.
const StatsPage = lazy(() => import('../stats/StatsPage'));

/** `/admin/leads/<id>`: the card's address in notifications. */
function LeadLink() {
  const { id } = useParams();
  return <Navigate to={`/orders/${id ?? ''}`} replace />;
}

function Api({ children }: { children: React.ReactNode }) {
  const { session, signOut } = useAuth();
  const token = session?.token ?? null;
  const [reconnects, setReconnects] = useState(0);
  const api = useMemo(
    () =>
      createApiClient(token, {
        // Only this token's session: a late refusal of an older token ends nothing.
        onUnauthenticated: () => {
          if (token) signOut('expired', token);
        },
        onReconnected: () => setReconnects((n) => n + 1),
      }),
    [token, signOut],
  );
  useEffect(() => api.dispose, [api]);
  return (
    <Provider value={api.client}>
      <ReconnectsContext value={reconnects}>{children}</ReconnectsContext>
    </Provider>
  );
}

export function App() {
  return (
    <I18nProvider>
      <ErrorBoundary>
        <AuthProvider>
          <Api>
            <ToastProvider>
              <BrowserRouter basename="/admin">
                <Routes>
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
                    <Route
                      path="stats"
                      element={
                        <Suspense fallback={<Spinner />}>
                          <StatsPage />
                        </Suspense>
                      }
                    />
                    <Route path="*" element={<NotFound />} />
                  </Route>
                </Routes>
              </BrowserRouter>
            </ToastProvider>
          </Api>
        </AuthProvider>
      </ErrorBoundary>
    </I18nProvider>
  );
}
