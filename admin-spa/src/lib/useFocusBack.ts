import { useEffect, useRef } from 'react';

/** The button that opened an inline editor gets the keyboard focus back when the editor
 * closes (saved or cancelled): attach the returned ref to it. */
export function useFocusBack<T extends HTMLElement>(open: boolean) {
  const target = useRef<T>(null);
  const wasOpen = useRef(false);
  useEffect(() => {
    if (wasOpen.current && !open) target.current?.focus();
    wasOpen.current = open;
  }, [open]);
  return target;
}
