import type { LeadStatus, Priority } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { priorityMeta } from '../orders/priority';

/** 🔴 Urgent / 🟡 Medium / 🟢 Low: colour, symbol and word, so it reads without colour vision. */
export function PriorityBadge({ priority }: { priority: Priority }) {
  const { t } = useI18n();
  const meta = priorityMeta(priority);
  return (
    <span className={`badge badge--${meta.tone}`} data-priority={priority}>
      <span aria-hidden="true">{meta.emoji}</span> {t(meta.labelKey)}
    </span>
  );
}

const STATUS_KEY = {
  NEW: 'status.NEW',
  IN_PROGRESS: 'status.IN_PROGRESS',
  WON: 'status.WON',
  LOST: 'status.LOST',
  SPAM: 'status.SPAM',
} as const;

export function statusKey(status: LeadStatus) {
  return STATUS_KEY[status];
}

export function StatusBadge({ status }: { status: LeadStatus }) {
  const { t } = useI18n();
  return (
    <span className={`status status--${status.toLowerCase()}`} data-status={status}>
      {t(STATUS_KEY[status])}
    </span>
  );
}
