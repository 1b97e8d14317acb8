// Visits and orders per bucket of the window (hours of today for 1 day, else days), drawn with
// uPlot (loaded with this screen only). The same numbers are in a table below for screen
// readers and keyboard users.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricStatsQuery } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { formatDuration, formatNumber } from '../lib/format';
import { cssVar, useColorScheme } from '../lib/useColorScheme';
import { useElementWidth } from '../lib/useElementWidth';
import { bucketX, formatBucket, tickSplits, xRange, yRange } from './chartAxis';

type Bucket = MetricStatsQuery['metricStats']['series'][number];

const HEIGHT = 260;
/** Room per x label: "05:00" and "2 дек." need about this much. */
const MIN_LABEL_GAP = 64;

export function ActivityChart({ buckets, period }: { buckets: Bucket[]; period: string }) {
  const { t, locale } = useI18n();
  const scheme = useColorScheme();
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);
  const hours = buckets[0]?.hours ?? 24;
  const totalVisits = buckets.reduce((s, d) => s + d.visits, 0);
  const totalOrders = buckets.reduce((s, d) => s + d.orders, 0);

  useEffect(() => {
    const target = box.current;
    if (!target || width === 0) return;
    const text = cssVar('--text-muted', '#666');
    const grid = cssVar('--border', '#ddd');
    const visits = cssVar('--chart-visits', '#3b6fd8');
    const orders = cssVar('--chart-orders', '#e2531f');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const xs = buckets.map((b) => bucketX(b.start));
    const visitValues = buckets.map((b) => b.visits);
    const orderValues = buckets.map((b) => b.orders);
    const ticks = (u: uPlot) => tickSplits(xs, u.over.clientWidth || width, MIN_LABEL_GAP);
    const count = (v: number) => (Number.isFinite(v) ? formatNumber(v, locale) : '—');
    const chart = new uPlot(
      {
        width,
        height: HEIGHT,
        series: [
          {
            label: hours < 24 ? t('stats.hour') : t('stats.date'),
            // Off the chart (idx null) the legend names the whole window, not "—".
            value: (_u, v, _s, idx) =>
              idx == null || !Number.isFinite(v) ? period : formatBucket(v, hours, locale),
          },
          {
            label: t('stats.visits'),
            stroke: visits,
            fill: `${visits}33`,
            width: 2,
            points: { show: buckets.length <= 31 },
            value: (_u, v, _s, idx) => (idx == null ? formatNumber(totalVisits, locale) : count(v)),
          },
          {
            label: t('stats.orders'),
            stroke: orders,
            width: 2,
            scale: 'orders',
            points: { show: buckets.length <= 31 },
            value: (_u, v, _s, idx) => (idx == null ? formatNumber(totalOrders, locale) : count(v)),
          },
        ],
        scales: {
          x: { time: false, range: () => xRange(xs, hours) },
          y: { range: () => yRange(visitValues) },
          orders: { range: () => yRange(orderValues) },
        },
        axes: [
          {
            ...axis,
            splits: ticks,
            values: (_u, splits) => splits.map((s) => formatBucket(s, hours, locale)),
          },
          { ...axis, label: t('stats.visits'), labelSize: 18, size: 48 },
          {
            ...axis,
            // uPlot.Axis.Side is an ambient const enum, which isolatedModules cannot reference.
            // eslint-disable-next-line @typescript-eslint/no-unsafe-enum-assignment
            side: 1,
            scale: 'orders',
            label: t('stats.orders'),
            labelSize: 18,
            size: 48,
            grid: { show: false },
          },
        ],
        cursor: { focus: { prox: 16 } },
        hooks: {
          // Where things were drawn, for the browser tests (the canvas itself cannot be read):
          // the plot's size, each point's position in it, and the x labels.
          draw: [
            (u) => {
              const pos = (values: number[], scale: string) =>
                values.map((v, i) => [
                  Math.round(u.valToPos(xs[i] ?? 0, 'x')),
                  Math.round(u.valToPos(v, scale)),
                ]);
              target.dataset.plot = JSON.stringify({
                width: u.over.clientWidth,
                height: u.over.clientHeight,
                visits: pos(visitValues, 'y'),
                orders: pos(orderValues, 'orders'),
                ticks: ticks(u).map((s) => formatBucket(s, hours, locale)),
              });
            },
          ],
        },
      },
      [xs, visitValues, orderValues],
      target,
    );
    chart.root.querySelector('canvas')?.setAttribute('aria-hidden', 'true');
    return () => chart.destroy();
  }, [buckets, hours, width, locale, t, scheme, period, totalVisits, totalOrders]);

  const summary = t(hours < 24 ? 'stats.chartSummaryHours' : 'stats.chartSummary', {
    days: buckets.length,
    visits: totalVisits,
    orders: totalOrders,
  });

  return (
    <figure className="chart">
      <div
        ref={box}
        className="chart__canvas"
        data-testid="activity-chart"
        role="img"
        aria-label={summary}
      />
      <figcaption className="muted">{summary}</figcaption>
      <details className="details">
        <summary>{t('stats.showTable')}</summary>
        <div className="table-wrap">
          <table className="table table--compact">
            <caption className="visually-hidden">{t('stats.activity')}</caption>
            <thead>
              <tr>
                <th scope="col">{hours < 24 ? t('stats.hour') : t('stats.date')}</th>
                <th scope="col" className="num">
                  {t('stats.visits')}
                </th>
                <th scope="col" className="num">
                  {t('stats.orders')}
                </th>
                <th scope="col" className="num">
                  {t('stats.avgEngaged')}
                </th>
              </tr>
            </thead>
            <tbody>
              {buckets.map((d) => (
                <tr key={d.start}>
                  <th scope="row">{formatBucket(bucketX(d.start), hours, locale)}</th>
                  <td className="num">{formatNumber(d.visits, locale)}</td>
                  <td className="num">{formatNumber(d.orders, locale)}</td>
                  <td className="num">{formatDuration(d.averageEngagedSeconds, locale)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
