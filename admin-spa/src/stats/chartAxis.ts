// What the activity chart's axes show. The server sends each bucket's start on the business
// time zone's wall clock ("2026-12-02T05:00:00", no offset); the chart places it as if it were
// UTC and formats it in UTC, so the labels read the business's local time whatever the
// browser's time zone, and no bucket lands on a neighbouring day.

export interface Bucket {
  /** Local wall-clock start, `YYYY-MM-DDTHH:MM:SS`. */
  start: string;
  /** 1 (an hour) or 24 (a day). */
  hours: number;
}

/** Seconds on the chart's x axis for a bucket's start. NaN for a malformed start. */
export function bucketX(start: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(start);
  if (!m) return Number.NaN;
  const [, y, mo, d, h, mi, s] = m;
  return (
    Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) / 1000
  );
}

/** "05:00" for an hour, "2 дек." / "Dec 2" for a day; in the business's wall-clock time. */
export function formatBucket(x: number, hours: number, locale: string): string {
  const date = new Date(x * 1000);
  const options: Intl.DateTimeFormatOptions =
    hours < 24
      ? { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'UTC' }
      : { day: 'numeric', month: 'short', timeZone: 'UTC' };
  return new Intl.DateTimeFormat(locale, options).format(date);
}

/** The x range: half a bucket either side of the first and last, so a lone point sits in the
 * middle and the outer points are not cut by the plot's edges. */
export function xRange(xs: readonly number[], hours: number): [number, number] {
  const half = (hours * 3600) / 2;
  if (xs.length === 0) return [0, 2 * half];
  return [Math.min(...xs) - half, Math.max(...xs) + half];
}

/** The y range of a count series: from 0 to a round number above the largest value, with some
 * headroom, so every point is inside the plot. */
export function yRange(values: readonly (number | null | undefined)[]): [number, number] {
  const max = Math.max(
    0,
    ...values.map((v) => (typeof v === 'number' && Number.isFinite(v) ? v : 0)),
  );
  const target = Math.max(4, max * 1.1);
  const step = 10 ** Math.floor(Math.log10(target));
  const nice = [1, 2, 2.5, 5, 10].map((f) => f * step).find((n) => n >= target) ?? 10 * step;
  return [0, nice];
}

/** Which buckets get an axis label: every bucket's start (never between two), thinned to every
 * k-th so labels at least `minGap` px apart fit into `plotWidth`. */
export function tickSplits(xs: readonly number[], plotWidth: number, minGap: number): number[] {
  if (xs.length === 0) return [];
  const fit = Math.max(1, Math.floor(plotWidth / Math.max(1, minGap)));
  const every = Math.max(1, Math.ceil(xs.length / fit));
  // Count from the end: the latest bucket (today, this hour) is always labelled.
  return xs.filter((_, i) => (xs.length - 1 - i) % every === 0);
}
