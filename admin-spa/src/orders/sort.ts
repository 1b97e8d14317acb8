// The list's sort lives in the URL beside the filter (?sort=score&dir=asc), so a reload, a
// trip to a card and back, or a shared link keeps it. The work queue is the default and is
// never written out.
import type { LeadSortField, SortDirection } from '../gql/graphql';

export interface OrdersSort {
  field: LeadSortField;
  direction: SortDirection;
}

export const QUEUE_SORT: OrdersSort = { field: 'QUEUE', direction: 'DESC' };

const FIELDS: readonly LeadSortField[] = ['QUEUE', 'SCORE', 'DATE', 'NAME', 'STATUS'];

/** Each column's first click: hottest, newest, pipeline order — and names A to Z. */
function naturalDirection(field: LeadSortField): SortDirection {
  return field === 'NAME' ? 'ASC' : 'DESC';
}

export function sortFromParams(params: URLSearchParams): OrdersSort {
  const field = FIELDS.find((f) => f.toLowerCase() === params.get('sort'));
  if (!field || field === 'QUEUE') return QUEUE_SORT;
  const dir = params.get('dir');
  const direction: SortDirection =
    dir === 'asc' ? 'ASC' : dir === 'desc' ? 'DESC' : naturalDirection(field);
  return { field, direction };
}

/** Writes the sort into `params` (a copy): nothing for the work queue. */
export function sortToParams(sort: OrdersSort, params: URLSearchParams): URLSearchParams {
  const result = new URLSearchParams(params);
  result.delete('sort');
  result.delete('dir');
  if (isQueue(sort)) return result;
  result.set('sort', sort.field.toLowerCase());
  if (sort.direction !== naturalDirection(sort.field)) {
    result.set('dir', sort.direction.toLowerCase());
  }
  return result;
}

export function isQueue(sort: OrdersSort): boolean {
  return sort.field === 'QUEUE';
}

/** A click on a column's heading: its natural order first, then the reverse, then back. */
export function nextSort(current: OrdersSort, field: LeadSortField): OrdersSort {
  if (current.field !== field) return { field, direction: naturalDirection(field) };
  return { field, direction: current.direction === 'ASC' ? 'DESC' : 'ASC' };
}

/** `aria-sort` of a column's heading. Names sort ascending in their natural order; every
 * other column reads descending (hottest, newest, pipeline order) as its natural one. */
export function ariaSort(
  current: OrdersSort,
  field: LeadSortField,
): 'ascending' | 'descending' | 'none' {
  if (current.field !== field) return 'none';
  return current.direction === 'ASC' ? 'ascending' : 'descending';
}
