import { describe, expect, it } from 'vitest';
import { en } from '../i18n/en';
import { ru } from '../i18n/ru';
import {
  BREAKDOWN_MAX,
  PRIORITIES,
  isPriority,
  isStatus,
  priorityFromScore,
  priorityMeta,
} from './priority';

describe('priority mapping', () => {
  it.each([
    [100, 'URGENT'],
    [81, 'URGENT'],
    [80, 'MEDIUM'],
    [65, 'MEDIUM'],
    [50, 'MEDIUM'],
    [49, 'LOW'],
    [20, 'LOW'],
    [0, 'LOW'],
  ] as const)('score %i is %s (server thresholds: > 80, 50–80, < 50)', (score, expected) => {
    expect(priorityFromScore(score)).toBe(expected);
  });

  it('gives every priority its emoji, colour tone and label', () => {
    expect(priorityMeta('URGENT')).toMatchObject({ emoji: '🔴', tone: 'urgent' });
    expect(priorityMeta('MEDIUM')).toMatchObject({ emoji: '🟡', tone: 'medium' });
    expect(priorityMeta('LOW')).toMatchObject({ emoji: '🟢', tone: 'low' });
    expect(ru[priorityMeta('URGENT').labelKey]).toBe('Срочный');
    expect(en[priorityMeta('LOW').labelKey]).toBe('Low');
  });

  it('ranks hottest first', () => {
    const ranks = PRIORITIES.map((p) => priorityMeta(p).rank);
    expect(ranks).toEqual([0, 1, 2]);
  });

  it('recognises enum values only', () => {
    expect(isPriority('URGENT')).toBe(true);
    expect(isPriority('urgent')).toBe(false);
    expect(isPriority(null)).toBe(false);
    expect(isStatus('IN_PROGRESS')).toBe(true);
    expect(isStatus('DONE')).toBe(false);
  });

  it('breakdown maxima add up to 100', () => {
    expect(BREAKDOWN_MAX.budget + BREAKDOWN_MAX.companySize + BREAKDOWN_MAX.urgency).toBe(100);
  });
});
