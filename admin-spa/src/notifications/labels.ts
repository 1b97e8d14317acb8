import type {
  DeliveryFailure,
  NotificationChannelKind,
  NotificationKind,
  NotificationStatus,
} from '../gql/graphql';
import type { Key } from '../i18n/dictionaries';

/** The dictionary key of each channel, kind and status; the status's badge tone. */
export const CHANNEL_KEY: Record<NotificationChannelKind, Key> = {
  TELEGRAM: 'notifications.channel.TELEGRAM',
  WEBHOOK: 'notifications.channel.WEBHOOK',
  EMAIL: 'notifications.channel.EMAIL',
};

export const KIND_KEY: Record<NotificationKind, Key> = {
  NEW_ORDER: 'notifications.kind.NEW_ORDER',
  STALE_REMINDER: 'notifications.kind.STALE_REMINDER',
  TEST: 'notifications.kind.TEST',
};

/** Why the last attempt failed, as the admin can act on it (the channel's own diagnostic is
 * shown beside it, for whoever set the channel up). */
export const FAILURE_KEY: Record<DeliveryFailure, Key> = {
  TIMEOUT: 'notifications.failure.TIMEOUT',
  UNREACHABLE: 'notifications.failure.UNREACHABLE',
  REFUSED: 'notifications.failure.REFUSED',
  SERVICE_ERROR: 'notifications.failure.SERVICE_ERROR',
  ORDER_GONE: 'notifications.failure.ORDER_GONE',
  INTERNAL: 'notifications.failure.INTERNAL',
};

export const STATUS_KEY: Record<NotificationStatus, Key> = {
  PENDING: 'notifications.status.PENDING',
  SENT: 'notifications.status.SENT',
  FAILED: 'notifications.status.FAILED',
  CANCELLED: 'notifications.status.CANCELLED',
};

/** Given-up rows are the ones that need the admin: red; sent green; waiting yellow. */
export function statusTone(status: NotificationStatus): 'urgent' | 'medium' | 'low' | 'muted' {
  switch (status) {
    case 'FAILED':
      return 'urgent';
    case 'PENDING':
      return 'medium';
    case 'SENT':
      return 'low';
    case 'CANCELLED':
      return 'muted';
  }
}

/** The filter of the deliveries list: everything, or one status. */
export type DeliveryFilter = 'ALL' | NotificationStatus;

export function filterStatus(filter: DeliveryFilter): NotificationStatus | null {
  return filter === 'ALL' ? null : filter;
}
