// Which page of the orders list the admin was on, per tab: back from an order card (or after a
// reload) the list opens where they left it. Keyset cursors stay valid as orders come and go.
// Only the latest filter is kept: another filter starts from its first page.
import { browserStorage, readItem, writeItem } from '../lib/storage';

const KEY = 'orderDesk.ordersPage';

/** The cursors of the pages come through (null = the first page). */
export type PageTrail = (string | null)[];

interface Remembered {
  filter: string;
  trail: PageTrail;
}

function isTrail(value: unknown): value is PageTrail {
  return (
    Array.isArray(value) &&
    value.length > 0 &&
    value[0] === null &&
    value.slice(1).every((c) => typeof c === 'string')
  );
}

export function recallPage(
  filter: string,
  storage: Storage | null = browserStorage('session'),
): PageTrail {
  try {
    const saved = JSON.parse(readItem(KEY, storage) ?? 'null') as Partial<Remembered> | null;
    if (saved?.filter === filter && isTrail(saved.trail)) return saved.trail;
  } catch {
    // unreadable: start from the first page
  }
  return [null];
}

/** Blocked or full storage: the list still works, it just forgets. */
export function rememberPage(
  filter: string,
  trail: PageTrail,
  storage: Storage | null = browserStorage('session'),
): void {
  writeItem(KEY, JSON.stringify({ filter, trail } satisfies Remembered), storage);
}
