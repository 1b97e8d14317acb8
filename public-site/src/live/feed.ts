// What the page shows, kept current: the live subscription while it is up, one fetch each time it
// (re)connects, and polling while it is down (the WebSocket cannot connect, or dropped). The first
// fetch waits for the subscription (or its failure, or a short grace), so a page load asks once,
// not once at start and again on connect. A fetch that started before a live event arrived is
// stale when it lands and is ignored.

import type { LiveHandlers } from './ws.ts';

export interface FeedOptions<T> {
  fetch: () => Promise<T | null>;
  subscribe: (handlers: LiveHandlers<T>) => () => void;
  onData: (value: T) => void;
  /** Called when a fetch fails (null); the next poll tries again. */
  onError: () => void;
  pollMs?: number;
  /** How long the first fetch waits for the subscription. */
  graceMs?: number;
}

export interface Feed {
  /** Fetches now (e.g. after the server said a chosen service is gone). */
  refresh(): void;
  stop(): void;
}

export function startFeed<T>({
  fetch,
  subscribe,
  onData,
  onError,
  pollMs = 2000,
  graceMs = 1000,
}: FeedOptions<T>): Feed {
  let live = false;
  let epoch = 0;
  let stopped = false;
  let fetched = false;

  const refresh = () => {
    fetched = true;
    const started = epoch;
    void fetch().then(
      (value) => {
        if (stopped || started !== epoch) return;
        if (value === null) onError();
        else onData(value);
      },
      () => {
        if (!stopped) onError();
      },
    );
  };

  const unsubscribe = subscribe({
    connected() {
      live = true;
      // The first fetch, or a resync: changes while the socket was down are not replayed.
      refresh();
    },
    disconnected() {
      live = false;
      if (!fetched) refresh();
    },
    next(value) {
      epoch += 1;
      onData(value);
    },
  });
  const poll = setInterval(() => {
    if (!live) refresh();
  }, pollMs);
  const grace = setTimeout(() => {
    if (!fetched) refresh();
  }, graceMs);

  return {
    refresh,
    stop() {
      stopped = true;
      clearInterval(poll);
      clearTimeout(grace);
      unsubscribe();
    },
  };
}
