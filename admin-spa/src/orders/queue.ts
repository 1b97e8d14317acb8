// The work queue's small rules, shared by the list and the card.
import type { LeadStatus } from '../gql/graphql';
import { CLOSED_STATUSES } from './priority';

/** "Surname Name Patronymic": the one order the list and the card both use. */
export function personName(lead: {
  surname: string;
  name: string;
  patronymic?: string | null;
}): string {
  return [lead.surname, lead.name, lead.patronymic].filter(Boolean).join(' ');
}

/** A closed order (won, lost) going back to an open status: the admin confirms it first. */
export function isReopening(from: LeadStatus, to: LeadStatus): boolean {
  return CLOSED_STATUSES.includes(from) && (to === 'NEW' || to === 'IN_PROGRESS');
}

/** The tab title: the page's own, prefixed by the unread count when there is one. */
export function tabTitle(page: string, app: string, unread: number): string {
  const base = page ? `${page} · ${app}` : app;
  if (unread <= 0) return base;
  return `(${unread > 99 ? '99+' : String(unread)}) ${base}`;
}
