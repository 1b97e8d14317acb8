// Random ids: crypto.randomUUID where the page is a secure context, else a v4 UUID built from
// getRandomValues (available everywhere), so plain-HTTP development works too.

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string =>
  typeof value === 'string' && UUID.test(value);

export function randomUuid(crypto: Crypto = globalThis.crypto): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const VISITOR_KEY = 'orderDesk.visitorId';

/** The window's localStorage, or null where the browser blocks it (reading it throws). */
export function browserStorage(win: Pick<Window, 'localStorage'>): Storage | null {
  try {
    return win.localStorage;
  } catch {
    return null;
  }
}

/** The visitor id kept in localStorage; a fresh one (kept in memory) if storage is unusable. */
export function visitorId(storage: Storage | null, uuid: () => string): string {
  try {
    const stored = storage?.getItem(VISITOR_KEY);
    if (isUuid(stored)) return stored;
    const id = uuid();
    storage?.setItem(VISITOR_KEY, id);
    return id;
  } catch {
    return uuid();
  }
}
