// Visits and orders per day over the window, drawn with uPlot (loaded with this screen only).
// The same numbers are in a table below for screen readers and keyboard users.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { MetricStatsQuery } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { formatDate, formatDuration, formatNumber } from '../lib/format';
import { cssVar, useColorScheme } from '../lib/useColorScheme';
import { useElementWidth } from '../lib/useElementWidth';

type Day = MetricStatsQuery['metricStats']['activity'][number];

const HEIGHT = 260;

function dayStart(date: string): number {
  return new Date(`${date}T00:00:00`).getTime() / 1000;
}

export function ActivityChart({ days }: { days: Day[] }) {
  const { t, locale } = useI18n();
  const scheme = useColorScheme();
  const box = useRef<HTMLDivElement>(null);
  const width = useElementWidth(box);

  useEffect(() => {
    const target = box.current;
    if (!target || width === 0) return;
    const text = cssVar('--text-muted', '#666');
    const grid = cssVar('--border', '#ddd');
    const visits = cssVar('--chart-visits', '#3b6fd8');
    const orders = cssVar('--chart-orders', '#e2531f');
    const axis = { stroke: text, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid } };
    const chart = new uPlot(
      {
        width,
        height: HEIGHT,
        series: [
          {
            label: t('stats.date'),
            // uPlot passes null while the cursor is off the chart.
            value: (_u, v) =>
              Number.isFinite(v) ? formatDate(new Date(v * 1000).toISOString(), locale) : '—',
          },
          {
            label: t('stats.visits'),
            stroke: visits,
            fill: `${visits}33`,
            width: 2,
            points: { show: days.length <= 31 },
            value: (_u, v) => (Number.isFinite(v) ? formatNumber(v, locale) : '—'),
          },
          {
            label: t('stats.orders'),
            stroke: orders,
            width: 2,
            scale: 'orders',
            points: { show: days.length <= 31 },
            value: (_u, v) => (Number.isFinite(v) ? formatNumber(v, locale) : '—'),
          },
        ],
        scales: {
          x: { time: true },
          y: { range: (_u, _min, max) => [0, Math.max(4, max)] },
          orders: { range: (_u, _min, max) => [0, Math.max(4, max)] },
        },
        axes: [
          {
            ...axis,
            values: (_u, splits) =>
              splits.map((s) => formatDate(new Date(s * 1000).toISOString(), locale)),
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
      },
      [days.map((d) => dayStart(d.date)), days.map((d) => d.visits), days.map((d) => d.orders)],
      target,
    );
    chart.root.querySelector('canvas')?.setAttribute('aria-hidden', 'true');
    return () => chart.destroy();
  }, [days, width, locale, t, scheme]);

  const totalVisits = days.reduce((s, d) => s + d.visits, 0);
  const totalOrders = days.reduce((s, d) => s + d.orders, 0);

  return (
    <figure className="chart">
      <div
        ref={box}
        className="chart__canvas"
        data-testid="activity-chart"
        role="img"
        aria-label={t('stats.chartSummary', {
          days: days.length,
          visits: totalVisits,
          orders: totalOrders,
        })}
      />
      <figcaption className="muted">
        {t('stats.chartSummary', { days: days.length, visits: totalVisits, orders: totalOrders })}
      </figcaption>
      <details className="details">
        <summary>{t('stats.showTable')}</summary>
        <div className="table-wrap">
          <table className="table table--compact">
            <caption className="visually-hidden">{t('stats.activity')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stats.date')}</th>
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
              {days.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{formatDate(d.date, locale)}</th>
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
