// Lead temperature as the admin sees it: colour *and* emoji *and* words, so it reads without
// colour vision. The thresholds mirror the server's (score > 80 urgent, 50–80 medium, < 50 low).
import type { LeadStatus, Priority } from '../gql/graphql';

export const PRIORITIES: readonly Priority[] = ['URGENT', 'MEDIUM', 'LOW'];
/** The pipeline an admin moves an order through. */
export const STATUSES: readonly LeadStatus[] = ['NEW', 'IN_PROGRESS', 'WON', 'LOST'];
/** What the list can be filtered by: the pipeline and spam. */
export const FILTER_STATUSES: readonly LeadStatus[] = [...STATUSES, 'SPAM'];
/** Closed statuses: moving back from one asks first. */
export const CLOSED_STATUSES: readonly LeadStatus[] = ['WON', 'LOST'];

export interface PriorityMeta {
  emoji: string;
  /** CSS modifier: `badge--urgent` etc. */
  tone: 'urgent' | 'medium' | 'low';
  /** i18n key of the label. */
  labelKey: 'priority.URGENT' | 'priority.MEDIUM' | 'priority.LOW';
  rank: number;
}

const META: Record<Priority, PriorityMeta> = {
  URGENT: { emoji: '🔴', tone: 'urgent', labelKey: 'priority.URGENT', rank: 0 },
  MEDIUM: { emoji: '🟡', tone: 'medium', labelKey: 'priority.MEDIUM', rank: 1 },
  LOW: { emoji: '🟢', tone: 'low', labelKey: 'priority.LOW', rank: 2 },
};

export function priorityMeta(priority: Priority): PriorityMeta {
  return META[priority];
}

/** The band a score falls in (0–100). */
export function priorityFromScore(score: number): Priority {
  if (score > 80) return 'URGENT';
  if (score >= 50) return 'MEDIUM';
  return 'LOW';
}

export function isPriority(value: string | null | undefined): value is Priority {
  return value === 'URGENT' || value === 'MEDIUM' || value === 'LOW';
}

export function isStatus(value: string | null | undefined): value is LeadStatus {
  return (
    value === 'NEW' ||
    value === 'IN_PROGRESS' ||
    value === 'WON' ||
    value === 'LOST' ||
    value === 'SPAM'
  );
}

/** Maximum points per factor of the score breakdown. */
export const BREAKDOWN_MAX = { budget: 40, companySize: 30, urgency: 30 } as const;
