// Unsaved input that outlives the screen: kept in this tab's sessionStorage while it differs
// from what is saved, so a session that ends mid-typing (sign in again, come back to the same
// screen) or a reload does not lose it. `clear` once it is saved.
import { useCallback, useState } from 'react';
import { browserStorage, readItem, removeItem, writeItem } from './storage';

const PREFIX = 'orderDesk.draft.';

/** The draft stored under `key`, if `accept` takes it. */
export function readDraft(
  key: string,
  accept: (value: string) => boolean = () => true,
  storage: Storage | null = browserStorage('session'),
): string | null {
  const value = readItem(PREFIX + key, storage);
  return value !== null && accept(value) ? value : null;
}

/** Like `useState` for a text, plus `clear`; a value equal to `saved` is not stored. */
export function useDraft<T extends string>(
  key: string,
  saved: T,
  accept: (value: string) => value is T = (value): value is T => typeof value === 'string',
): [T, (value: T) => void, () => void] {
  const [value, setValue] = useState<T>(() => {
    const draft = readDraft(key, accept);
    return draft !== null && accept(draft) ? draft : saved;
  });
  const set = useCallback(
    (next: T) => {
      setValue(next);
      const storage = browserStorage('session');
      if (next === saved) removeItem(PREFIX + key, storage);
      else writeItem(PREFIX + key, next, storage);
    },
    [key, saved],
  );
  const clear = useCallback(() => removeItem(PREFIX + key, browserStorage('session')), [key]);
  return [value, set, clear];
}
