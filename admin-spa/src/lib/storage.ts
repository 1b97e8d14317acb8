// Web storage that never throws. A browser that blocks storage (privacy settings, some embedded
// views) throws a SecurityError as soon as `localStorage` or `sessionStorage` is read, and a
// full or revoked storage throws on `setItem`: the panel then just forgets, it never breaks.

export type StorageArea = 'local' | 'session';

/** The browser's storage, or null where it is missing or blocked. */
export function browserStorage(area: StorageArea): Storage | null {
  try {
    // Missing outside a browser (Node), hence the cast: the DOM types promise it is there.
    const storage = (area === 'local' ? globalThis.localStorage : globalThis.sessionStorage) as
      Storage | undefined;
    return storage ?? null;
  } catch {
    return null;
  }
}

/** The stored value, or null (missing, blocked or unreadable). */
export function readItem(key: string, storage: Storage | null = browserStorage('local')) {
  try {
    return storage?.getItem(key) ?? null;
  } catch {
    return null;
  }
}

/** Stores a value; false when the storage refused (blocked, full). */
export function writeItem(
  key: string,
  value: string,
  storage: Storage | null = browserStorage('local'),
): boolean {
  try {
    if (!storage) return false;
    storage.setItem(key, value);
    return true;
  } catch {
    return false;
  }
}

export function removeItem(key: string, storage: Storage | null = browserStorage('local')): void {
  try {
    storage?.removeItem(key);
  } catch {
    // blocked: nothing was stored there either
  }
}
