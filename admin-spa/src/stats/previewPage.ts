// The public page loaded in a hidden frame only to name what the tracker counted (an order
// card's clicks): read again whenever the page changes, since its services and the business's
// details (the consent's wording among them) arrive after the frame's load.

import { useCallback, useEffect, useRef, useState } from 'react';

import type { PreviewPage } from './Heatmap';

/** The page loaded in `frame` and its window, or null while there is none, and for a page of
 * another origin (unreadable). */
export function framePage(
  frame: HTMLIFrameElement,
): { doc: Document; win: Window & typeof globalThis } | null {
  try {
    const doc = frame.contentDocument;
    const win = frame.contentWindow as (Window & typeof globalThis) | null;
    return doc && win ? { doc, win } : null;
  } catch {
    return null;
  }
}

/** The frame's page (a new object at each change of it, so names made from it are made again)
 * and the `onLoad` handler that starts watching it. Null until loaded, and for a page of
 * another origin (unreadable: the keys stay). */
export function useWatchedPreview(): [PreviewPage | null, (frame: HTMLIFrameElement) => void] {
  const [page, setPage] = useState<PreviewPage | null>(null);
  const stop = useRef<(() => void) | null>(null);
  useEffect(() => () => stop.current?.(), []);
  const watch = useCallback((frame: HTMLIFrameElement) => {
    stop.current?.();
    stop.current = null;
    const page = framePage(frame);
    if (!page) return;
    const { doc: loaded, win } = page;
    let version = 0;
    const report = () => {
      version += 1;
      setPage({ doc: loaded, version });
    };
    report();
    // A hidden frame lays nothing out, so a change of size would never be seen: watch the
    // content itself (the observer hands over each task's changes at once).
    const observer = new win.MutationObserver(report);
    observer.observe(loaded.body, { childList: true, subtree: true, characterData: true });
    stop.current = () => observer.disconnect();
  }, []);
  return [page, watch];
}
