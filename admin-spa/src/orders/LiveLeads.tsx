// New orders arrive over the `leadCreated` subscription wherever the admin is: a toast on
// every screen, and the orders list refetches (keeping its filters) and highlights the row.
// After the connection comes back from a drop the list refetches too: orders sent during the
// gap were never delivered.
import {
  createContext,
  use,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { useNavigate } from 'react-router';
import { useSubscription } from 'urql';
import { LiveConnectionContext } from '../app/reconnects';
import { useToasts } from '../components/Toasts';
import { graphql } from '../gql';
import type { LeadRowFragment } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { alertPrefs, panelInBackground, playChime, showDesktopNotification } from './alerts';
import { priorityMeta } from './priority';
import { personName } from './queue';

const LeadCreatedSubscription = graphql(`
  subscription LeadCreated {
    leadCreated {
      ...LeadRow
    }
  }
`);

export interface LiveLeads {
  /** Ids of orders that arrived live in this session, newest last. */
  arrived: readonly string[];
  /** Bumped on every arrival. */
  version: number;
}

const LiveContext = createContext<LiveLeads>({ arrived: [], version: 0 });

export function LiveLeadsProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { push } = useToasts();
  const navigate = useNavigate();
  const [state, setState] = useState<LiveLeads>({ arrived: [], version: 0 });
  const seen = useRef(new Set<string>());

  const onLead = useCallback(
    (lead: LeadRowFragment) => {
      if (seen.current.has(lead.id)) return;
      seen.current.add(lead.id);
      const meta = priorityMeta(lead.priority);
      const body = `${meta.emoji} ${t(meta.labelKey)} · ${String(lead.score)} · ${personName(lead)}`;
      const open = () => void navigate(`/orders/${lead.id}`);
      push({
        title: t('live.newOrder'),
        body,
        tone: meta.tone,
        action: { label: t('live.open'), onClick: open },
      });
      const prefs = alertPrefs();
      if (prefs.sound) playChime();
      if (prefs.desktop && panelInBackground()) {
        showDesktopNotification(t('live.newOrder'), body, lead.id, open);
      }
      setState((prev) => ({ arrived: [...prev.arrived, lead.id], version: prev.version + 1 }));
    },
    [push, t, navigate],
  );

  // Accumulate every delivered lead (several may arrive between two renders).
  const [{ data: received }] = useSubscription(
    { query: LeadCreatedSubscription },
    (prev: LeadRowFragment[] | undefined, event) => [...(prev ?? []).slice(-49), event.leadCreated],
  );
  useEffect(() => {
    for (const lead of received ?? []) onLead(lead);
  }, [received, onLead]);

  const { reconnects } = use(LiveConnectionContext);
  const [seenReconnects, setSeenReconnects] = useState(reconnects);
  if (reconnects !== seenReconnects) {
    setSeenReconnects(reconnects);
    setState((prev) => ({ ...prev, version: prev.version + 1 }));
  }

  const value = useMemo(() => state, [state]);
  return <LiveContext value={value}>{children}</LiveContext>;
}

export function useLiveLeads(): LiveLeads {
  return use(LiveContext);
}
