import { describe, expect, it } from 'vitest';
import {
  filterFromParams,
  filterToParams,
  isFiltered,
  toExportQuery,
  toLeadFilter,
} from './filters';

describe('orders filter in the URL', () => {
  it('reads valid values and drops junk', () => {
    const f = filterFromParams(
      new URLSearchParams('priority=URGENT&status=bogus&service=s1&from=2026-11-01&to=nope&q=Иван'),
    );
    expect(f).toEqual({
      priority: 'URGENT',
      status: null,
      serviceId: 's1',
      from: '2026-11-01',
      to: null,
      search: 'Иван',
    });
  });

  it('round-trips', () => {
    const params = 'priority=LOW&status=WON&service=x&from=2026-11-01&to=2026-11-07&q=acme';
    expect(filterToParams(filterFromParams(new URLSearchParams(params))).toString()).toBe(params);
    expect(isFiltered(filterFromParams(new URLSearchParams('')))).toBe(false);
  });

  it('becomes a LeadFilter with a whole-day, exclusive end', () => {
    const f = filterFromParams(new URLSearchParams('from=2026-11-01&to=2026-11-07&q=%20acme%20'));
    const lead = toLeadFilter(f);
    expect(lead.search).toBe('acme');
    const from = new Date(lead.createdFrom ?? '');
    const to = new Date(lead.createdTo ?? '');
    expect([from.getDate(), from.getHours()]).toEqual([1, 0]);
    expect([to.getDate(), to.getHours()]).toEqual([8, 0]);
    expect(toLeadFilter(filterFromParams(new URLSearchParams('')))).toEqual({});
  });

  it('gives the CSV export the same filter', () => {
    const f = filterFromParams(new URLSearchParams('priority=MEDIUM&service=abc&q=Пётр'));
    const query = new URLSearchParams(toExportQuery(f));
    expect(Object.fromEntries(query)).toEqual({
      priority: 'MEDIUM',
      serviceId: 'abc',
      search: 'Пётр',
    });
  });
});
