import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ActionButton } from '../components/ActionButton';
import { ErrorMessage, useErrorText } from '../components/ErrorMessage';
import { Segmented } from '../components/Segmented';
import { Spinner } from '../components/Spinner';
import { useToasts } from '../components/Toasts';
import { graphql } from '../gql';
import type { NotificationChannelKind } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { firstError } from '../lib/errors';
import { formatDateTime } from '../lib/format';
import {
  CHANNEL_KEY,
  FAILURE_KEY,
  KIND_KEY,
  STATUS_KEY,
  filterStatus,
  statusTone,
  type DeliveryFilter,
} from './labels';

const NotificationsQuery = graphql(`
  query Notifications($status: NotificationStatus) {
    notificationChannels {
      channel
      configured
      target
    }
    notificationDeliveries(first: 50, status: $status) {
      id
      channel
      kind
      status
      leadId
      attempts
      lastError
      lastErrorKind
      nextAttemptAt
      createdAt
      sentAt
    }
  }
`);

const SendTestMutation = graphql(`
  mutation SendTestNotification($channel: NotificationChannelKind!) {
    sendTestNotification(channel: $channel) {
      id
      status
    }
  }
`);

const RetryMutation = graphql(`
  mutation RetryNotification($id: ID!) {
    retryNotification(id: $id) {
      id
      status
      attempts
    }
  }
`);

/** While the page is open the list follows the workers (they send within seconds). */
const REFRESH_MS = 5000;

const FILTERS: readonly DeliveryFilter[] = ['ALL', 'FAILED', 'PENDING', 'SENT'];

export function NotificationsPage() {
  const { t, locale } = useI18n();
  const [filter, setFilter] = useState<DeliveryFilter>('ALL');
  const [{ data, fetching, error }, refetch] = useQuery({
    query: NotificationsQuery,
    variables: { status: filterStatus(filter) },
  });
  const [sendState, sendTest] = useMutation(SendTestMutation);
  const [retryState, retry] = useMutation(RetryMutation);
  const { push } = useToasts();
  const errorText = useErrorText();

  useEffect(() => {
    const timer = window.setInterval(() => refetch({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [refetch]);

  const refresh = () => refetch({ requestPolicy: 'network-only' });

  const onTest = async (channel: NotificationChannelKind) => {
    const result = await sendTest({ channel });
    if (result.error) {
      push({
        title: t('notifications.testFailed'),
        body: errorText(firstError(result.error)) ?? undefined,
        tone: 'urgent',
      });
      return;
    }
    push({ title: t('notifications.testQueued', { channel: t(CHANNEL_KEY[channel]) }) });
    refresh();
  };

  const onRetry = async (id: string) => {
    const result = await retry({ id });
    if (result.error) {
      push({
        title: t('notifications.retryFailed'),
        body: errorText(firstError(result.error)) ?? undefined,
        tone: 'urgent',
      });
      return;
    }
    push({ title: t('notifications.retryQueued') });
    refresh();
  };

  const channels = data?.notificationChannels;
  const deliveries = data?.notificationDeliveries;

  return (
    <section className="page" aria-labelledby="notifications-title">
      <div className="page__head">
        <div>
          <h1 id="notifications-title">{t('notifications.title')}</h1>
          <p className="muted">{t('notifications.intro')}</p>
        </div>
        <ActionButton className="button" onClick={refresh} inactive={fetching}>
          {t('notifications.refresh')}
        </ActionButton>
      </div>
      <ErrorMessage error={error} />
      {fetching && !data ? <Spinner /> : null}

      <h2 className="section-title">{t('notifications.channels')}</h2>
      <ul className="channel-list" data-testid="channels">
        {channels?.map((c) => (
          <li key={c.channel} className="card channel" data-channel={c.channel}>
            <div className="card__head">
              <strong>{t(CHANNEL_KEY[c.channel])}</strong>
              <span
                className={`status ${c.configured ? 'status--won' : 'status--lost'}`}
                data-configured={c.configured}
              >
                {c.configured ? t('notifications.on') : t('notifications.off')}
              </span>
            </div>
            <p className="muted channel__target">{c.target ?? t('notifications.notConfigured')}</p>
            <ActionButton
              className="button button--small"
              disabled={!c.configured}
              inactive={sendState.fetching}
              onClick={() => void onTest(c.channel)}
              aria-label={t('notifications.sendTestTo', { channel: t(CHANNEL_KEY[c.channel]) })}
            >
              {t('notifications.sendTest')}
            </ActionButton>
          </li>
        ))}
      </ul>

      <h2 className="section-title">{t('notifications.deliveries')}</h2>
      <div className="panel">
        <div className="panel__bar deliveries-filter">
          <Segmented
            label={t('notifications.filter')}
            options={FILTERS.map((value) => ({
              value,
              label: value === 'ALL' ? t('notifications.filterAll') : t(STATUS_KEY[value]),
            }))}
            value={filter}
            onChange={setFilter}
          />
        </div>
        <div className="table-wrap deliveries-wrap">
          <table className="table table--deliveries" data-testid="deliveries">
            <caption className="visually-hidden">{t('notifications.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notifications.col.when')}</th>
                <th scope="col">{t('notifications.col.channel')}</th>
                <th scope="col" className="hide-phone">
                  {t('notifications.col.kind')}
                </th>
                <th scope="col">{t('notifications.col.status')}</th>
                <th scope="col" className="num hide-phone">
                  {t('notifications.col.attempts')}
                </th>
                <th scope="col">{t('notifications.col.error')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('notifications.col.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {deliveries?.map((d) => (
                <tr
                  key={d.id}
                  data-delivery-id={d.id}
                  data-lead-id={d.leadId ?? undefined}
                  data-status={d.status}
                >
                  <td className="muted">
                    <time dateTime={d.createdAt}>{formatDateTime(d.createdAt, locale)}</time>
                  </td>
                  <td>{t(CHANNEL_KEY[d.channel])}</td>
                  <td className="hide-phone">
                    {d.leadId ? (
                      <Link to={`/orders/${d.leadId}`}>{t(KIND_KEY[d.kind])}</Link>
                    ) : (
                      t(KIND_KEY[d.kind])
                    )}
                  </td>
                  <td>
                    <span className={`badge badge--${statusTone(d.status)}`}>
                      {t(STATUS_KEY[d.status])}
                    </span>
                  </td>
                  <td className="num hide-phone">{d.attempts}</td>
                  <td className="delivery__error">
                    {d.lastErrorKind ? (
                      <span className="delivery__why">{t(FAILURE_KEY[d.lastErrorKind])}</span>
                    ) : null}
                    {/* The channel's own words, for whoever set it up. */}
                    {d.lastError ? <span className="delivery__detail">{d.lastError}</span> : null}
                  </td>
                  <td>
                    {d.status === 'FAILED' ? (
                      <ActionButton
                        className="button button--small button--primary"
                        inactive={retryState.fetching}
                        onClick={() => void onRetry(d.id)}
                        aria-label={t('notifications.retryNamed', {
                          channel: t(CHANNEL_KEY[d.channel]),
                        })}
                      >
                        {t('notifications.retry')}
                      </ActionButton>
                    ) : null}
                  </td>
                </tr>
              ))}
              {deliveries?.length === 0 ? (
                <tr>
                  <td colSpan={7} className="empty">
                    {t('notifications.empty')}
                  </td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
