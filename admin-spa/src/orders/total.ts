// The list's total as the admin reads it. The server counts searches and filters other than
// priority and status only up to 1,000 matches (a total that costs the same at any size) and
// says so with `totalCountIsExact: false`: then the total reads "1,000+".
import type { Key } from '../i18n/dictionaries';
import type { Params } from '../i18n/plural';
import { formatNumber } from '../lib/format';

export interface ListTotal {
  totalCount: number;
  totalCountIsExact: boolean;
}

type Translate = (key: Key, params?: Params) => string;

/** "1,234 orders", or "1,000+ orders" when the server stopped counting. */
export function countText(t: Translate, total: ListTotal): string {
  return t(total.totalCountIsExact ? 'orders.count' : 'orders.countAtLeast', {
    count: total.totalCount,
  });
}

/**
 * The total after "of" in the pager: the number, or "1,000+". Past the 1,000th order the
 * pager says "of 1,025+" rather than claim fewer orders than it shows.
 */
export function pagerTotal(total: ListTotal, shownTo: number, locale: string): string {
  if (total.totalCountIsExact) return formatNumber(total.totalCount, locale);
  return `${formatNumber(Math.max(total.totalCount, shownTo), locale)}+`;
}
