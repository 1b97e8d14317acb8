import { describe, expect, it } from 'vitest';
import {
  formatAge,
  formatBudget,
  formatDuration,
  formatMoney,
  formatPercent,
  localDayStart,
  secondsBetween,
} from './format';

// Intl inserts narrow no-break spaces; compare with plain spaces.
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('formatDuration', () => {
  it.each([
    [0, '0 sec'],
    [45, '45 sec'],
    [60, '1 min'],
    [61, '1 min 1 sec'],
    [3_600, '1 hr'],
    [3_660, '1 hr 1 min'],
    [3_605, '1 hr'],
    [90_061, '1 day 1 hr'],
    [-5, '0 sec'],
    [Number.NaN, '0 sec'],
  ])('%s seconds in English', (seconds, expected) => {
    expect(plain(formatDuration(seconds, 'en'))).toBe(expected);
  });

  it('reads in Russian', () => {
    expect(plain(formatDuration(125, 'ru'))).toBe('2 мин 5 с');
    expect(plain(formatDuration(7_200 + 300, 'ru'))).toBe('2 ч 5 мин');
    expect(plain(formatDuration(2 * 86_400, 'ru'))).toBe('2 дн.');
  });

  it('rounds fractional averages', () => {
    expect(plain(formatDuration(44.6, 'en'))).toBe('45 sec');
  });
});

describe('money', () => {
  it('formats whole roubles per locale', () => {
    expect(plain(formatMoney(1_500_000, 'ru'))).toBe('1 500 000 ₽');
    expect(plain(formatMoney(1_500_000, 'en'))).toBe('RUB 1,500,000');
    expect(plain(formatMoney(999.6, 'ru'))).toBe('1 000 ₽');
  });

  it('shows a numeric budget as money and free text as written', () => {
    expect(plain(formatBudget('1500000', 'ru'))).toBe('1 500 000 ₽');
    expect(plain(formatBudget('2 000 000 ₽', 'ru'))).toBe('2 000 000 ₽');
    expect(plain(formatBudget('750000 руб.', 'en'))).toBe('RUB 750,000');
    expect(formatBudget('от 1 до 5 млн', 'ru')).toBe('от 1 до 5 млн');
    expect(formatBudget('500к', 'ru')).toBe('500к');
    expect(formatBudget('  ', 'ru')).toBe('—');
    expect(formatBudget(null, 'ru')).toBe('—');
  });
});

describe('percent', () => {
  it('formats shares', () => {
    expect(plain(formatPercent(0.125, 'ru'))).toBe('12,5 %');
    expect(formatPercent(0.5, 'en')).toBe('50%');
    expect(formatPercent(Number.NaN, 'en')).toBe('0%');
  });
});

describe('dates', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  it('says how long ago, with Russian plural forms', () => {
    expect(formatAge('2026-11-24T11:59:50Z', 'en', now)).toBe('now');
    expect(formatAge('2026-11-24T11:55:00Z', 'ru', now)).toBe('5 минут назад');
    expect(formatAge('2026-11-24T10:00:00Z', 'ru', now)).toBe('2 часа назад');
    expect(formatAge('2026-11-23T12:00:00Z', 'ru', now)).toBe('вчера');
    expect(formatAge('2026-11-03T12:00:00Z', 'ru', now)).toBe('21 день назад');
    expect(formatAge('2026-11-21T12:00:00Z', 'en', now)).toBe('3 days ago');
  });

  it('measures time to first response', () => {
    expect(secondsBetween('2026-11-24T10:00:00Z', '2026-11-24T10:30:00Z')).toBe(1_800);
    expect(secondsBetween('2026-11-24T10:00:00Z', null)).toBeNull();
  });

  it('turns a local day into an instant', () => {
    const start = localDayStart('2026-03-01');
    expect(start).not.toBeNull();
    const d = new Date(start ?? '');
    expect([d.getFullYear(), d.getMonth(), d.getDate(), d.getHours()]).toEqual([2026, 2, 1, 0]);
    const next = new Date(localDayStart('2026-02-28', 1) ?? '');
    expect([next.getMonth(), next.getDate()]).toEqual([2, 1]);
    expect(localDayStart('yesterday')).toBeNull();
  });
});
