// Every admin page has its own tab title, prefixed by the number of orders nobody has opened
// yet: "(3) Orders · Order Desk" tells a background tab that work is waiting.
import { useEffect } from 'react';
import { useLocation } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import { useI18n } from '../i18n/I18nProvider';
import type { Key } from '../i18n/dictionaries';
import { useLiveLeads } from '../orders/LiveLeads';
import { tabTitle } from '../orders/queue';

const UnreadCountQuery = graphql(`
  query UnreadLeadCount {
    unreadLeadCount
  }
`);

const SECTIONS: Record<string, Key> = {
  orders: 'nav.orders',
  services: 'nav.services',
  stats: 'nav.stats',
  notifications: 'nav.notifications',
  settings: 'nav.settings',
  account: 'nav.account',
};

/** The page's own title key: a section, or an order's card. */
export function pageTitleKey(pathname: string): Key | null {
  const [section, id] = pathname.split('/').filter(Boolean);
  if ((section === 'orders' || section === 'leads') && id) return 'tab.order';
  return section ? (SECTIONS[section] ?? null) : null;
}

export function TabTitle() {
  const { t } = useI18n();
  const { pathname } = useLocation();
  const live = useLiveLeads();
  // A card opened (a `Lead` back from `markLeadOpened`) or a status change makes urql fetch
  // the count again; a new order bumps the live version.
  const [{ data }, reexecute] = useQuery({
    query: UnreadCountQuery,
    context: ADDITIONAL_TYPENAMES,
  });
  useEffect(() => {
    if (live.version > 0) reexecute({ requestPolicy: 'network-only' });
  }, [live.version, reexecute]);

  const key = pageTitleKey(pathname);
  const title = tabTitle(key ? t(key) : '', t('app.name'), data?.unreadLeadCount ?? 0);
  useEffect(() => {
    document.title = title;
  }, [title]);
  return null;
}

const ADDITIONAL_TYPENAMES = { additionalTypenames: ['Lead'] };
