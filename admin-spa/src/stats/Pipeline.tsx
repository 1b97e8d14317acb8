// The pipeline: how many orders sit in each status, whether the temperature predicts the
// outcome (won among decided, per temperature), and how fast orders are answered. Over every
// order but spam, whatever the period chosen above: an order's outcome comes weeks after it.
import { useQuery } from 'urql';
import { PriorityBadge, StatusBadge } from '../components/Badges';
import { ErrorMessage } from '../components/ErrorMessage';
import { Spinner } from '../components/Spinner';
import { graphql } from '../gql';
import { useI18n } from '../i18n/I18nProvider';
import { formatDuration, formatNumber, formatPercent } from '../lib/format';

const LeadStatsQuery = graphql(`
  query LeadStats {
    leadStats {
      total
      byPriority {
        priority
        count
        won
        lost
        winRate
      }
      byStatus {
        status
        count
      }
      medianFirstResponseSeconds
    }
  }
`);

export function Pipeline() {
  const { t, locale } = useI18n();
  const [{ data, fetching, error }] = useQuery({
    query: LeadStatsQuery,
    requestPolicy: 'cache-and-network',
  });
  const stats = data?.leadStats;
  const count = (v: number) => formatNumber(v, locale);

  return (
    <section className="card" aria-labelledby="pipeline-title" data-testid="pipeline">
      <h2 id="pipeline-title">{t('stats.pipeline')}</h2>
      <p className="muted">{t('stats.pipelineIntro')}</p>
      <ErrorMessage error={error} />
      {fetching && !stats ? <Spinner /> : null}
      {stats && stats.total === 0 ? <p className="muted">{t('stats.pipelineEmpty')}</p> : null}
      {stats && stats.total > 0 ? (
        <>
          <ul className="pipeline__statuses" data-testid="pipeline-statuses">
            {stats.byStatus.map((s) => (
              <li key={s.status} data-status={s.status}>
                <StatusBadge status={s.status} /> <strong>{count(s.count)}</strong>
              </li>
            ))}
          </ul>
          <table className="table table--compact table--fit" data-testid="pipeline-temperature">
            <caption className="visually-hidden">{t('stats.byTemperature')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stats.temperature')}</th>
                <th scope="col" className="num">
                  {t('stats.ordersCount')}
                </th>
                <th scope="col" className="num">
                  {t('status.WON')}
                </th>
                <th scope="col" className="num">
                  {t('status.LOST')}
                </th>
                <th scope="col" className="num">
                  {t('stats.winRate')}
                </th>
              </tr>
            </thead>
            <tbody>
              {stats.byPriority.map((p) => (
                <tr key={p.priority} data-priority={p.priority}>
                  <th scope="row">
                    <PriorityBadge priority={p.priority} />
                  </th>
                  <td className="num">{count(p.count)}</td>
                  <td className="num">{count(p.won)}</td>
                  <td className="num">{count(p.lost)}</td>
                  <td className="num" data-testid="win-rate">
                    {p.winRate == null ? (
                      <span className="muted">{t('stats.undecided')}</span>
                    ) : (
                      formatPercent(p.winRate, locale)
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p data-testid="speed-to-lead">
            {stats.medianFirstResponseSeconds == null
              ? t('stats.speedToLeadNone')
              : t('stats.speedToLead', {
                  time: formatDuration(stats.medianFirstResponseSeconds, locale),
                })}
          </p>
        </>
      ) : null}
    </section>
  );
}
