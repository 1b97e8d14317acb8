// The service list, kept current: a fetch at start, the live subscription while it is up, and
// polling while it is not (the WebSocket cannot connect, or dropped). A fetch that started before
// a live event arrived is stale when it lands and is ignored.

import type { LiveHandlers } from './ws.ts';

export interface FeedOptions<T> {
  fetch: () => Promise<T | null>;
  subscribe: (handlers: LiveHandlers<T>) => () => void;
  onData: (value: T) => void;
  /** Called when a fetch fails (null); the next poll tries again. */
  onError: () => void;
  pollMs?: number;
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
}: FeedOptions<T>): Feed {
  let live = false;
  let epoch = 0;
  let stopped = false;

  const refresh = () => {
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
      // Changes between the first fetch and the subscription start are not replayed.
      refresh();
    },
    disconnected() {
      live = false;
    },
    next(value) {
      epoch += 1;
      onData(value);
    },
  });
  const poll = setInterval(() => {
    if (!live) refresh();
  }, pollMs);
  refresh();

  return {
    refresh,
    stop() {
      stopped = true;
      clearInterval(poll);
      unsubscribe();
    },
  };
}
