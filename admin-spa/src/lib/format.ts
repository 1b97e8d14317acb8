// Locale-aware formatters. Everything the admin reads as a number, a duration, money or a
// date goes through here, so Russian and English read naturally.
import { interpolate } from '../i18n/plural';

const unitNames = ['day', 'hour', 'minute', 'second'] as const;
type Unit = (typeof unitNames)[number];
const unitSeconds: Record<Unit, number> = { day: 86_400, hour: 3_600, minute: 60, second: 1 };

/**
 * A duration in seconds as at most two units, largest first: "2 ч 5 мин", "45 s", "3 d 4 h".
 * Negative or non-finite durations read as zero seconds.
 */
export function formatDuration(totalSeconds: number, locale: string): string {
  let rest = Number.isFinite(totalSeconds) ? Math.max(0, Math.round(totalSeconds)) : 0;
  const parts: string[] = [];
  for (const unit of unitNames) {
    const size = unitSeconds[unit];
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0 || (unit === 'second' && parts.length === 0)) {
      parts.push(
        new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short' }).format(amount),
      );
    }
    if (parts.length === 2) break;
    if (parts.length === 1 && amount === 0) break;
  }
  return parts.join(' ');
}

/** Whole roubles, e.g. "1 500 000 ₽" (ru) or "RUB 1,500,000" (en). */
export function formatMoney(amount: number, locale: string, currency = 'RUB'): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    maximumFractionDigits: 0,
  }).format(amount);
}

/**
 * The visitor's budget is free text ("500к", "от 1 до 5 млн", "1500000"). A plain number is
 * shown as money; anything else is shown as the visitor wrote it.
 */
export function formatBudget(text: string | null | undefined, locale: string): string {
  const raw = (text ?? '').trim();
  if (raw === '') return '—';
  const digits = raw.replace(/[\s\u00a0\u202f]/g, '').replace(/[₽]|руб\.?|rub/gi, '');
  if (/^\d{1,15}$/.test(digits)) return formatMoney(Number(digits), locale);
  return raw;
}

export function formatNumber(value: number, locale: string): string {
  return new Intl.NumberFormat(locale).format(value);
}

/** A share 0..1 as a percentage with one decimal at most: "12,5 %". */
export function formatPercent(share: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 1 }).format(
    Number.isFinite(share) ? share : 0,
  );
}

export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

export function formatDate(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short' }).format(
    new Date(iso.length === 10 ? `${iso}T00:00:00` : iso),
  );
}

/** How long ago, in the largest sensible unit: "5 минут назад", "3 days ago", "now". */
export function formatAge(iso: string, locale: string, now: Date = new Date()): string {
  const seconds = Math.round((new Date(iso).getTime() - now.getTime()) / 1000);
  const rtf = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
  const abs = Math.abs(seconds);
  if (abs < 45) return rtf.format(0, 'second');
  if (abs < 3_600) return rtf.format(Math.round(seconds / 60), 'minute');
  if (abs < 86_400) return rtf.format(Math.round(seconds / 3_600), 'hour');
  if (abs < 30 * 86_400) return rtf.format(Math.round(seconds / 86_400), 'day');
  if (abs < 365 * 86_400) return rtf.format(Math.round(seconds / (30 * 86_400)), 'month');
  return rtf.format(Math.round(seconds / (365 * 86_400)), 'year');
}

/** Seconds between two instants (null when either is missing). */
export function secondsBetween(fromIso: string, toIso: string | null | undefined): number | null {
  if (!toIso) return null;
  return Math.max(0, Math.round((new Date(toIso).getTime() - new Date(fromIso).getTime()) / 1000));
}

/** `YYYY-MM-DD` of a local date. */
export function localDateString(date: Date): string {
  const y = String(date.getFullYear());
  const m = String(date.getMonth() + 1).padStart(2, '0');
  const d = String(date.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/** Start of a local `YYYY-MM-DD` day as RFC 3339 (UTC), optionally shifted by whole days. */
export function localDayStart(day: string, shiftDays = 0): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + shiftDays);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

export { interpolate };
