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

interface Held<T> {
  key: string;
  /** The saved value last seen. */
  saved: T;
  value: T;
  /** The value is a draft: typed and not saved. */
  drafted: boolean;
}

function hold<T extends string>(key: string, saved: T, accept: (value: string) => value is T) {
  const draft = readDraft(key, accept);
  return draft !== null && accept(draft)
    ? { key, saved, value: draft, drafted: true }
    : { key, saved, value: saved, drafted: false };
}

/**
 * Like `useState` for a text, plus `clear`; a value equal to `saved` is not stored. Without a
 * draft the value follows `saved` when it changes (the server's answer after a save, a card
 * shown from the cache and then as the server has it now, another admin's change); a draft
 * stays until it is cleared or set back to the saved value. After `clear` the value stays as it
 * was (what was just saved) until the saved value catches up.
 */
export function useDraft<T extends string>(
  key: string,
  saved: T,
  accept: (value: string) => value is T = (value): value is T => typeof value === 'string',
): [T, (value: T) => void, () => void] {
  const [held, setHeld] = useState<Held<T>>(() => hold(key, saved, accept));
  let current = held;
  if (held.key !== key) {
    current = hold(key, saved, accept);
    setHeld(current);
  } else if (held.saved !== saved) {
    current = held.drafted ? { ...held, saved } : { ...held, saved, value: saved };
    setHeld(current);
  }
  const set = useCallback(
    (next: T) => {
      const storage = browserStorage('session');
      const drafted = next !== saved;
      setHeld({ key, saved, value: next, drafted });
      if (drafted) writeItem(PREFIX + key, next, storage);
      else removeItem(PREFIX + key, storage);
    },
    [key, saved],
  );
  const clear = useCallback(() => {
    setHeld((prev) => ({ ...prev, drafted: false }));
    removeItem(PREFIX + key, browserStorage('session'));
  }, [key]);
  return [current.value, set, clear];
}
