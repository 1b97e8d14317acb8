import { describe, expect, it } from 'vitest';
import { bucketX, formatBucket, tickSplits, xRange, yRange } from './chartAxis';

describe('activity chart axes', () => {
  it('places a bucket on its wall-clock time and labels it in the same time', () => {
    const x = bucketX('2026-12-02T05:00:00');
    expect(x).toBe(Date.UTC(2026, 11, 2, 5) / 1000);
    expect(formatBucket(x, 1, 'ru')).toBe('05:00');
    expect(formatBucket(x, 1, 'en')).toBe('05:00');
    const day = bucketX('2026-12-02T00:00:00');
    expect(formatBucket(day, 24, 'en')).toBe('Dec 2');
    expect(formatBucket(day, 24, 'ru')).toMatch(/^2 дек/);
    expect(bucketX('nonsense')).toBeNaN();
  });

  it('labels every hour of a day once, in order, and never between buckets', () => {
    const xs = Array.from({ length: 24 }, (_, h) =>
      bucketX(`2026-12-02T${String(h).padStart(2, '0')}:00:00`),
    );
    const wide = tickSplits(xs, 1200, 40);
    expect(wide).toEqual(xs);
    const narrow = tickSplits(xs, 300, 40);
    expect(narrow.length).toBeLessThanOrEqual(Math.floor(300 / 40));
    expect(narrow.at(-1)).toBe(xs.at(-1));
    expect(narrow.every((x) => xs.includes(x))).toBe(true);
    const labels = narrow.map((x) => formatBucket(x, 1, 'en'));
    expect(new Set(labels).size).toBe(labels.length);
  });

  it('labels seven days with seven distinct dates', () => {
    const xs = Array.from({ length: 7 }, (_, d) => bucketX(`2026-11-${String(26 + d)}T00:00:00`));
    const labels = tickSplits(xs, 800, 60).map((x) => formatBucket(x, 24, 'ru'));
    expect(labels).toHaveLength(7);
    expect(new Set(labels).size).toBe(7);
  });

  it('keeps a lone point in the middle of the x range', () => {
    const x = bucketX('2026-12-02T05:00:00');
    const [min, max] = xRange([x], 1);
    expect(min).toBeLessThan(x);
    expect(max).toBeGreaterThan(x);
    expect((min + max) / 2).toBe(x);
    expect(xRange([], 24)[1]).toBeGreaterThan(xRange([], 24)[0]);
  });

  it('puts the y maximum on a round number above every value', () => {
    expect(yRange([])).toEqual([0, 5]);
    expect(yRange([0, 0])).toEqual([0, 5]);
    expect(yRange([3, null, 1])).toEqual([0, 5]);
    for (const max of [4, 5, 9, 10, 37, 99, 100, 101, 2500]) {
      const [, top] = yRange([1, max]);
      expect(top).toBeGreaterThan(max);
    }
    expect(yRange([37])[1]).toBe(50);
  });
});
