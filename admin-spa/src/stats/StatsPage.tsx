import { useCallback, useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { ClicksTable } from '../components/ClicksTable';
import { ErrorMessage } from '../components/ErrorMessage';
import { Segmented } from '../components/Segmented';
import { Spinner } from '../components/Spinner';
import { graphql } from '../gql';
import type { MetricStatsQuery, ViewportClass } from '../gql/graphql';
import type { Key } from '../i18n/dictionaries';
import { useI18n } from '../i18n/I18nProvider';
import { formatDuration, formatNumber, formatPercent } from '../lib/format';
import { ActivityChart } from './ActivityChart';
import { unpackCells } from './cells';
import { Heatmap, type PreviewPage } from './Heatmap';
import { LabelCell, useOwnerLabels } from './labels';
import { Pipeline } from './Pipeline';
import { makeNamer, type Namer } from './pageElements';

const MetricStatsQueryDoc = graphql(`
  query MetricStats($days: Int!) {
    metricStats(days: $days) {
      timeZone
      summary {
        days
        visits
        averageTimeOnPage
        medianTimeOnPage
      }
      returningVisitorShare
      conversionRate
      series {
        start
        hours
        visits
        orders
        averageEngagedSeconds
      }
      topClicks {
        element
        count
      }
      formFields {
        field
        focuses
        averageSeconds
        abandonments
      }
    }
  }
`);

const HeatmapQuery = graphql(`
  query Heatmap($days: Int!, $viewport: ViewportClass!) {
    metricStats(days: $days) {
      heatmap(viewport: $viewport) {
        columns
        rowHeight
        maxCount
        packedCells
      }
    }
  }
`);

export const PERIODS = [1, 7, 30, 90] as const;
const VIEWPORTS: readonly ViewportClass[] = ['DESKTOP', 'TABLET', 'MOBILE'];
const VIEWPORT_KEY = {
  MOBILE: 'viewport.MOBILE',
  TABLET: 'viewport.TABLET',
  DESKTOP: 'viewport.DESKTOP',
} as const;

type Stats = MetricStatsQuery['metricStats'];

export default function StatsPage() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const days = PERIODS.find((p) => String(p) === params.get('days')) ?? 30;
  const viewport = VIEWPORTS.find((v) => v === params.get('viewport')) ?? 'DESKTOP';
  const [{ data, fetching, error }] = useQuery({
    query: MetricStatsQueryDoc,
    variables: { days },
  });
  const set = (key: 'days' | 'viewport', value: string) => {
    // The one shown already (the default too, when the address names none): no step.
    if (value === (key === 'days' ? String(days) : viewport)) return;
    const next = new URLSearchParams(params);
    next.set(key, value);
    // A step in the browser's history: Back returns to the period or screen size before.
    setParams(next);
  };
  const stats = data?.metricStats;
  // Names: the owner's first, else the element's own label on the public page (the heatmap's
  // preview of it, in the admin's language), else the key the tracker counted.
  const owner = useOwnerLabels();
  const [page, setPage] = useState<PreviewPage | null>(null);
  const namer = useMemo(() => makeNamer(page?.doc ?? null, owner.labels), [page, owner.labels]);
  const onPage = useCallback((next: PreviewPage | null) => {
    // A new version: the page filled something in after loading (the consent's text, the
    // services), so its names are read again.
    if (next) setPage(next);
  }, []);

  return (
    <section className="page" aria-labelledby="stats-title">
      <div className="page__head">
        <h1 id="stats-title">{t('stats.title')}</h1>
        <Segmented
          label={t('stats.period')}
          // One day is today (since midnight), as its cards say, not the last 24 hours.
          options={PERIODS.map((p) => ({
            value: p,
            label: p === 1 ? t('stats.today') : t('stats.lastDays', { count: p }),
          }))}
          value={days}
          onChange={(p) => set('days', String(p))}
        />
      </div>
      {stats ? (
        <p className="muted" data-testid="stats-time-zone">
          {t('stats.timeZone', { zone: stats.timeZone })}
        </p>
      ) : null}
      <ErrorMessage error={error} />
      {fetching && !stats ? <Spinner /> : null}
      {stats ? <StatsBody stats={stats} days={days} namer={namer} onLabel={owner.refetch} /> : null}
      <Pipeline />
      <section className="card" aria-labelledby="heatmap-title">
        <div className="card__head">
          <h2 id="heatmap-title">{t('stats.heatmap')}</h2>
          <Segmented
            label={t('stats.viewport')}
            options={VIEWPORTS.map((v) => ({ value: v, label: t(VIEWPORT_KEY[v]) }))}
            value={viewport}
            onChange={(v) => set('viewport', v)}
          />
        </div>
        <p className="muted">{t('stats.heatmapIntro', { count: days })}</p>
        <HeatmapSection days={days} viewport={viewport} namer={namer} onPage={onPage} />
      </section>
    </section>
  );
}

function HeatmapSection({
  days,
  viewport,
  namer,
  onPage,
}: {
  days: number;
  viewport: ViewportClass;
  namer: Namer;
  onPage: (page: PreviewPage | null) => void;
}) {
  const [{ data, fetching, error }] = useQuery({
    query: HeatmapQuery,
    variables: { days, viewport },
  });
  const packed = data?.metricStats.heatmap;
  const heatmap = useMemo(
    () =>
      packed && {
        columns: packed.columns,
        rowHeight: packed.rowHeight,
        maxCount: packed.maxCount,
        cells: unpackCells(packed.packedCells),
      },
    [packed],
  );
  return (
    <>
      <ErrorMessage error={error} />
      {fetching && !heatmap ? <Spinner /> : null}
      {heatmap ? (
        <Heatmap data={heatmap} viewport={viewport} namer={namer} onPage={onPage} />
      ) : null}
    </>
  );
}

/** One headline figure of the chosen window. */
function StatCard({
  title,
  value,
  sub,
  testId,
}: {
  title: Key;
  value: string;
  sub: string;
  testId: string;
}) {
  const { t } = useI18n();
  return (
    <div className="stat-card" data-testid={testId}>
      <h2 className="stat-card__title">{t(title)}</h2>
      <p className="stat-card__value">{value}</p>
      <p className="stat-card__sub muted">{sub}</p>
    </div>
  );
}

function StatsBody({
  stats,
  days,
  namer,
  onLabel,
}: {
  stats: Stats;
  days: number;
  namer: Namer;
  onLabel: () => void;
}) {
  const { t, locale, tMaybe } = useI18n();
  const count = (v: number) => formatNumber(v, locale);
  const summary = stats.summary;
  // Every card reads the chosen window: "today" for one day, else "in the last N days".
  const sub = days === 1 ? t('stats.today') : t('stats.inWindow', { count: days });

  return (
    <>
      <div className="stat-grid" data-testid="stat-cards">
        <StatCard
          title="stats.avgTime"
          value={formatDuration(summary.averageTimeOnPage, locale)}
          sub={sub}
          testId="card-average"
        />
        <StatCard
          title="stats.medianTime"
          value={formatDuration(summary.medianTimeOnPage, locale)}
          sub={sub}
          testId="card-median"
        />
        <StatCard
          title="stats.visitsCard"
          value={count(summary.visits)}
          sub={sub}
          testId="card-visits"
        />
        <StatCard
          title="stats.returning"
          value={formatPercent(stats.returningVisitorShare, locale)}
          sub={sub}
          testId="card-returning"
        />
        <StatCard
          title="stats.conversion"
          value={formatPercent(stats.conversionRate, locale)}
          sub={sub}
          testId="card-conversion"
        />
      </div>

      <section className="card" aria-labelledby="activity-title">
        <h2 id="activity-title">{t(days === 1 ? 'stats.activityHours' : 'stats.activity')}</h2>
        {summary.visits === 0 ? <p className="muted">{t('stats.noVisits')}</p> : null}
        <ActivityChart buckets={stats.series} period={sub} />
      </section>

      <div className="two-col">
        <section className="card" aria-labelledby="clicks-title">
          <h2 id="clicks-title">{t('stats.topClicks')}</h2>
          {stats.topClicks.length === 0 ? (
            <p className="muted">{t('stats.noClicks')}</p>
          ) : (
            <ClicksTable
              clicks={stats.topClicks}
              caption={t('stats.topClicks')}
              testId="top-clicks"
              renderName={(element) => (
                <LabelCell
                  kind="ELEMENT"
                  element={element}
                  namer={namer}
                  fallback={element}
                  onSaved={onLabel}
                />
              )}
            />
          )}
        </section>

        <section className="card" aria-labelledby="fields-title">
          <h2 id="fields-title">{t('stats.formFields')}</h2>
          <p className="muted">{t('stats.formFieldsIntro')}</p>
          {stats.formFields.length === 0 ? (
            <p className="muted">{t('stats.noFields')}</p>
          ) : (
            <table className="table table--compact table--fit" data-testid="form-fields">
              <thead>
                <tr>
                  <th scope="col">{t('stats.field')}</th>
                  <th scope="col" className="num">
                    {t('stats.focuses')}
                  </th>
                  <th scope="col" className="num">
                    {t('stats.avgFocus')}
                  </th>
                  <th scope="col" className="num">
                    {t('stats.abandonments')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {stats.formFields.map((f) => {
                  const share = f.focuses > 0 ? f.abandonments / f.focuses : 0;
                  return (
                    <tr key={f.field}>
                      <td>
                        <LabelCell
                          kind="FIELD"
                          element={f.field}
                          namer={namer}
                          fallback={tMaybe(`lead.${f.field}`, f.field)}
                          onSaved={onLabel}
                        />
                        <span className="minibar minibar--danger" aria-hidden="true">
                          <span style={{ width: `${String(Math.round(share * 100))}%` }} />
                        </span>
                      </td>
                      <td className="num">{count(f.focuses)}</td>
                      <td className="num">{formatDuration(f.averageSeconds, locale)}</td>
                      <td className="num">
                        {count(f.abandonments)}{' '}
                        <span className="muted table__share">({formatPercent(share, locale)})</span>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      </div>
    </>
  );
}
