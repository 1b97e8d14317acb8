// The cursor heatmap: the public page rendered at the viewport class's width in an iframe,
// with a canvas on top painted from the sparse cells (blue = cold, red = hot), a legend, and
// the hottest cells as a table for screen readers.
import { useEffect, useRef, useState } from 'react';
import type { ViewportClass } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { formatNumber } from '../lib/format';
import { useElementWidth } from '../lib/useElementWidth';
import type { HeatCell } from './cells';
import { heatColor, intensity, legendGradient, VIEWPORT_WIDTH } from './heatScale';

export interface HeatmapData {
  columns: number;
  rowHeight: number;
  maxCount: number;
  cells: HeatCell[];
}

const MIN_HEIGHT = 700;
const MAX_HEIGHT = 8000;
const TABLE_ROWS = 20;

/** Paints cells into a `columns × rows` image, one pixel per cell, then stretches it over the
 * page with smoothing, which blends neighbouring cells into a continuous map. */
export function paintHeatmap(canvas: HTMLCanvasElement, data: HeatmapData, width: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  if (data.cells.length === 0 || data.maxCount <= 0) return;
  const rows = Math.max(...data.cells.map((c) => c.y)) + 1;
  const columns = Math.max(1, data.columns);
  const small = document.createElement('canvas');
  small.width = columns;
  small.height = rows;
  const sctx = small.getContext('2d');
  if (!sctx) return;
  const image = sctx.createImageData(columns, rows);
  for (const cell of data.cells) {
    if (cell.x < 0 || cell.x >= columns || cell.y < 0) continue;
    const [r, g, b, a] = heatColor(intensity(cell.count, data.maxCount));
    const i = (cell.y * columns + cell.x) * 4;
    image.data[i] = r;
    image.data[i + 1] = g;
    image.data[i + 2] = b;
    image.data[i + 3] = Math.round(a * 255);
  }
  sctx.putImageData(image, 0, 0);
  ctx.imageSmoothingEnabled = true;
  ctx.imageSmoothingQuality = 'high';
  ctx.filter = 'blur(4px)';
  ctx.drawImage(small, 0, 0, width, rows * data.rowHeight);
  ctx.filter = 'none';
}

export function Heatmap({ data, viewport }: { data: HeatmapData; viewport: ViewportClass }) {
  const { t, locale } = useI18n();
  const frameWidth = VIEWPORT_WIDTH[viewport];
  const outer = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const available = useElementWidth(outer);
  // The page's height at this viewport's width (the page reflows: a phone's page is longer).
  const [measured, setMeasured] = useState<{ viewport: ViewportClass; height: number } | null>(
    null,
  );
  const pageHeight = measured?.viewport === viewport ? measured.height : 0;
  const rows = data.cells.reduce((max, c) => Math.max(max, c.y + 1), 0);
  const height = Math.min(
    MAX_HEIGHT,
    Math.max(MIN_HEIGHT, pageHeight, rows * data.rowHeight + data.rowHeight),
  );
  const scale = available > 0 ? Math.min(1, available / frameWidth) : 1;

  useEffect(() => {
    if (canvas.current) paintHeatmap(canvas.current, data, frameWidth);
  }, [data, frameWidth, height]);

  const measure = (frame: HTMLIFrameElement) => {
    try {
      const doc = frame.contentDocument;
      if (doc) setMeasured({ viewport, height: doc.documentElement.scrollHeight });
    } catch {
      // Not readable (another origin): keep the height from the cells.
    }
  };

  const hottest = [...data.cells].sort((a, b) => b.count - a.count).slice(0, TABLE_ROWS);
  const colWidth = 100 / Math.max(1, data.columns);

  return (
    <div className="heatmap">
      <div className="heatmap__legend" aria-hidden="true">
        <span>{t('stats.cold')}</span>
        <span className="heatmap__scale" style={{ background: legendGradient() }} />
        <span>{t('stats.hot')}</span>
        <span className="muted">{t('stats.legendMax', { count: data.maxCount })}</span>
      </div>
      <p className="visually-hidden">
        {t('stats.heatmapSummary', { count: data.cells.length, max: data.maxCount })}
      </p>
      <div ref={outer} className="heatmap__viewport">
        <div
          className="heatmap__frame"
          style={{ width: frameWidth * scale, height: height * scale }}
        >
          <div
            className="heatmap__stage"
            style={{ width: frameWidth, height, transform: `scale(${String(scale)})` }}
          >
            {/* Scripts stay off in the preview: the public page's tracker must not count the
                admin's look at it as a visit. Keyed by viewport: a new width loads the page
                anew, so it is measured again. */}
            <iframe
              key={viewport}
              src="/"
              title={t('stats.previewTitle')}
              width={frameWidth}
              height={height}
              sandbox="allow-same-origin"
              tabIndex={-1}
              onLoad={(e) => measure(e.currentTarget)}
            />
            <canvas
              ref={canvas}
              width={frameWidth}
              height={height}
              data-testid="heatmap-canvas"
              aria-hidden="true"
            />
          </div>
        </div>
      </div>
      {data.cells.length === 0 ? <p className="muted">{t('stats.heatmapEmpty')}</p> : null}
      <details className="details">
        <summary>{t('stats.heatmapTable')}</summary>
        <table className="table table--compact" data-testid="heatmap-table">
          <caption className="visually-hidden">
            {t('stats.heatmapTableCaption', { count: hottest.length })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.horizontal')}</th>
              <th scope="col">{t('stats.vertical')}</th>
              <th scope="col" className="num">
                {t('stats.points')}
              </th>
            </tr>
          </thead>
          <tbody>
            {hottest.map((c) => (
              <tr key={`${String(c.x)}:${String(c.y)}`}>
                <td>
                  {formatNumber(Math.round(c.x * colWidth), locale)}–
                  {formatNumber(Math.round((c.x + 1) * colWidth), locale)} %
                </td>
                <td>
                  {formatNumber(c.y * data.rowHeight, locale)}–
                  {formatNumber((c.y + 1) * data.rowHeight, locale)} px
                </td>
                <td className="num">{formatNumber(c.count, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
