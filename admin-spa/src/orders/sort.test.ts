import { describe, expect, it } from 'vitest';
import { QUEUE_SORT, ariaSort, nextSort, sortFromParams, sortToParams } from './sort';

describe('the list sort in the URL', () => {
  it('defaults to the work queue and never writes it out', () => {
    expect(sortFromParams(new URLSearchParams())).toEqual(QUEUE_SORT);
    expect(sortFromParams(new URLSearchParams('sort=queue&dir=asc'))).toEqual(QUEUE_SORT);
    expect(sortToParams(QUEUE_SORT, new URLSearchParams('q=x&sort=name')).toString()).toBe('q=x');
  });

  it('round-trips every column and direction, keeping the filter', () => {
    const base = new URLSearchParams('priority=URGENT');
    for (const field of ['SCORE', 'DATE', 'NAME', 'STATUS'] as const) {
      for (const direction of ['ASC', 'DESC'] as const) {
        const params = sortToParams({ field, direction }, base);
        expect(params.get('priority')).toBe('URGENT');
        expect(sortFromParams(params)).toEqual({ field, direction });
      }
    }
  });

  it('writes only what differs from a column natural order', () => {
    expect(
      sortToParams({ field: 'NAME', direction: 'ASC' }, new URLSearchParams()).toString(),
    ).toBe('sort=name');
    expect(
      sortToParams({ field: 'SCORE', direction: 'ASC' }, new URLSearchParams()).toString(),
    ).toBe('sort=score&dir=asc');
  });

  it('ignores what it does not know', () => {
    expect(sortFromParams(new URLSearchParams('sort=salary&dir=up'))).toEqual(QUEUE_SORT);
    expect(sortFromParams(new URLSearchParams('sort=date&dir=up'))).toEqual({
      field: 'DATE',
      direction: 'DESC',
    });
  });

  it('a heading click starts at the natural order, then flips', () => {
    const byName = nextSort(QUEUE_SORT, 'NAME');
    expect(byName).toEqual({ field: 'NAME', direction: 'ASC' });
    expect(nextSort(byName, 'NAME')).toEqual({ field: 'NAME', direction: 'DESC' });
    expect(nextSort(byName, 'SCORE')).toEqual({ field: 'SCORE', direction: 'DESC' });
    expect(ariaSort(byName, 'NAME')).toBe('ascending');
    expect(ariaSort(byName, 'SCORE')).toBe('none');
  });
});
