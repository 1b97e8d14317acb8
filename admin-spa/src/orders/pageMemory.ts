// Which page of the orders list the admin was on, per tab: back from an order card (or after a
// reload) the list opens where they left it. Keyset cursors stay valid as orders come and go.
// Only the latest filter is kept: another filter starts from its first page.

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

/** This tab's storage; reading `sessionStorage` itself throws where the browser blocks it. */
function tabStorage(storage: Storage | null | undefined): Storage | null {
  return storage === undefined ? sessionStorage : storage;
}

export function recallPage(filter: string, storage?: Storage | null): PageTrail {
  try {
    const saved = JSON.parse(
      tabStorage(storage)?.getItem(KEY) ?? 'null',
    ) as Partial<Remembered> | null;
    if (saved?.filter === filter && isTrail(saved.trail)) return saved.trail;
  } catch {
    // unreadable or blocked storage: start from the first page
  }
  return [null];
}

export function rememberPage(filter: string, trail: PageTrail, storage?: Storage | null): void {
  try {
    tabStorage(storage)?.setItem(KEY, JSON.stringify({ filter, trail } satisfies Remembered));
  } catch {
    // storage full or blocked: the list still works, it just forgets
  }
}
