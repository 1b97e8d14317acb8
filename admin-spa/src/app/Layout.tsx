import { useEffect, useRef } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useAuth } from '../auth/AuthProvider';
import { SessionKeeper } from '../auth/SessionKeeper';
import { useSignOut } from '../auth/useSignOut';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { TabTitle } from './TabTitle';
import { useI18n } from '../i18n/I18nProvider';
import type { Key } from '../i18n/dictionaries';

const NAV: { to: string; key: Key; icon: string }[] = [
  { to: '/orders', key: 'nav.orders', icon: '📋' },
  { to: '/services', key: 'nav.services', icon: '🧰' },
  { to: '/stats', key: 'nav.stats', icon: '📈' },
  { to: '/notifications', key: 'nav.notifications', icon: '🔔' },
  { to: '/settings', key: 'nav.settings', icon: '⚙️' },
  { to: '/account', key: 'nav.account', icon: '👤' },
];

export function Layout() {
  const { t } = useI18n();
  const { session } = useAuth();
  const { signOut, signingOut } = useSignOut();
  const location = useLocation();
  const main = useRef<HTMLElement>(null);
  const firstRender = useRef(true);

  // After navigating, move focus to the new screen so keyboard and screen-reader users start
  // at its heading rather than at the link they used.
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    main.current?.focus({ preventScroll: true });
  }, [location.pathname]);

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <header className="topbar">
        <span className="brand">
          <span aria-hidden="true">📥</span> {t('app.name')}
        </span>
        <nav aria-label={t('nav.label')} className="nav">
          {NAV.map((item) => (
            <NavLink key={item.to} to={item.to} className="nav__link">
              <span aria-hidden="true">{item.icon}</span> {t(item.key)}
            </NavLink>
          ))}
        </nav>
        <div className="topbar__end">
          <LanguageSwitch />
          <span className="topbar__who" title={session?.email}>
            {session?.email}
          </span>
          <button
            type="button"
            className="button button--ghost"
            disabled={signingOut}
            onClick={() => void signOut()}
          >
            {t('auth.signOut')}
          </button>
        </div>
      </header>
      <SessionKeeper />
      <TabTitle />
      <main id="main" ref={main} tabIndex={-1} className="main">
        <Outlet />
      </main>
    </div>
  );
}
