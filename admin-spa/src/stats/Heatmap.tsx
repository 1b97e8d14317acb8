// The cursor heatmap: the real public page (its preview mode: in the admin's language, without
// the tracker) rendered at the viewport class's width in a same-origin iframe as tall as the
// page, with a canvas on top painted from the sparse cells (blue = cold, red = hot), a legend,
// and the hottest places as a table, each named by the element of the page under it.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ViewportClass } from '../gql/graphql';
import { useI18n } from '../i18n/I18nProvider';
import { formatNumber } from '../lib/format';
import { useElementWidth } from '../lib/useElementWidth';
import type { HeatCell } from './cells';
import { heatColor, intensity, legendGradient, VIEWPORT_WIDTH } from './heatScale';
import { previewSrc, type Namer } from './pageElements';
import { framePage } from './previewPage';
import { hotSpots, type HotSpot } from './spots';

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

/** The loaded preview page, and a count that moves whenever its layout changed (services and
 * the business's details arrive after the load), so what is under a point is looked up again. */
export interface PreviewPage {
  doc: Document;
  version: number;
}

interface HeatmapProps {
  data: HeatmapData;
  viewport: ViewportClass;
  namer: Namer;
  /** Called with the frame's page once loaded and again after each change of its size. */
  onPage?: (page: PreviewPage | null) => void;
}

export function Heatmap({ data, viewport, namer, onPage }: HeatmapProps) {
  const { t, locale } = useI18n();
  const frameWidth = VIEWPORT_WIDTH[viewport];
  const outer = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const available = useElementWidth(outer);
  const src = previewSrc(locale);
  const frameKey = `${viewport}:${src}`;
  // The page at this viewport's width (the page reflows: a phone's page is longer).
  const [page, setPage] = useState<(PreviewPage & { frame: string; height: number }) | null>(null);
  const current = page?.frame === frameKey ? page : null;
  const pageHeight = current?.height ?? 0;
  const rows = data.cells.reduce((max, c) => Math.max(max, c.y + 1), 0);
  const height = Math.min(
    MAX_HEIGHT,
    Math.max(MIN_HEIGHT, pageHeight, rows * data.rowHeight + data.rowHeight),
  );
  const scale = available > 0 ? Math.min(1, available / frameWidth) : 1;
  const stopWatching = useRef<(() => void) | null>(null);

  useEffect(() => {
    if (canvas.current) paintHeatmap(canvas.current, data, frameWidth);
  }, [data, frameWidth, height]);

  useEffect(
    () => onPage?.(current && { doc: current.doc, version: current.version }),
    [current, onPage],
  );

  useEffect(
    () => () => {
      stopWatching.current?.();
    },
    [],
  );

  const watch = useCallback(
    (frame: HTMLIFrameElement) => {
      stopWatching.current?.();
      stopWatching.current = null;
      // Not readable (another origin): keep the height from the cells.
      const page = framePage(frame);
      if (!page) return;
      const { doc, win } = page;
      let version = 0;
      const report = () => {
        // A background, not a second page to tab through.
        for (const el of doc.querySelectorAll(
          'a,button,input,select,textarea,summary,[tabindex]',
        )) {
          el.setAttribute('tabindex', '-1');
        }
        version += 1;
        setPage({
          frame: frameKey,
          doc,
          version,
          height: Math.max(doc.body.scrollHeight, doc.documentElement.scrollHeight),
        });
      };
      // The frame is as tall as the page: the page never scrolls inside it.
      doc.documentElement.style.overflow = 'hidden';
      report();
      const observer = new win.ResizeObserver(report);
      observer.observe(doc.body);
      stopWatching.current = () => observer.disconnect();
    },
    [frameKey],
  );

  const spots = useMemo(
    () =>
      hotSpots(
        current?.doc ?? null,
        data.cells,
        { columns: data.columns, rowHeight: data.rowHeight, width: frameWidth },
        TABLE_ROWS,
      ),
    // `current.version`: the page's layout changed, so what is under each cell may have.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [current?.doc, current?.version, data, frameWidth],
  );

  const spotName = (spot: HotSpot): string => {
    const owner =
      (spot.key && namer.owner('ELEMENT', spot.key)) ??
      (spot.field && namer.owner('FIELD', spot.field)) ??
      null;
    if (owner) return owner;
    if (spot.element && spot.label) return t(`stats.spot.${spot.role}`, { name: spot.label });
    if (spot.element && spot.key) return spot.key;
    const colWidth = 100 / Math.max(1, data.columns);
    return t('stats.spotPosition', {
      x1: Math.round(spot.cell.x * colWidth),
      x2: Math.round((spot.cell.x + 1) * colWidth),
      y1: spot.cell.y * data.rowHeight,
      y2: (spot.cell.y + 1) * data.rowHeight,
    });
  };

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
      {/* Above the page's preview, which is as tall as the page: said where it is seen. */}
      {data.cells.length === 0 ? (
        <p className="muted" data-testid="heatmap-empty">
          {t('stats.heatmapEmpty')}
        </p>
      ) : null}
      <div ref={outer} className="heatmap__viewport">
        <div
          className="heatmap__frame"
          style={{ width: frameWidth * scale, height: height * scale }}
        >
          <div
            className="heatmap__stage"
            style={{ width: frameWidth, height, transform: `scale(${String(scale)})` }}
          >
            {/* The page in its preview mode: the tracker stays off there, so the admin's look
                at it is not a visit. Keyed by viewport and language: a new width or language
                loads the page anew, and it is measured again. */}
            <iframe
              key={frameKey}
              src={src}
              title={t('stats.previewTitle')}
              width={frameWidth}
              height={height}
              tabIndex={-1}
              aria-hidden="true"
              data-testid="heatmap-page"
              data-page-height={pageHeight || undefined}
              onLoad={(e) => watch(e.currentTarget)}
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
      <details className="details">
        <summary>{t('stats.heatmapTable')}</summary>
        <table className="table table--compact" data-testid="heatmap-table">
          <caption className="visually-hidden">
            {t('stats.heatmapTableCaption', { count: spots.length })}
          </caption>
          <thead>
            <tr>
              <th scope="col">{t('stats.place')}</th>
              <th scope="col" className="num">
                {t('stats.points')}
              </th>
            </tr>
          </thead>
          <tbody>
            {spots.map((spot) => (
              <tr key={`${String(spot.cell.x)}:${String(spot.cell.y)}`}>
                <td data-testid="spot-name">{spotName(spot)}</td>
                <td className="num">{formatNumber(spot.count, locale)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </div>
  );
}
