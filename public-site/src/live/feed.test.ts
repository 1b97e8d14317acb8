import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { startFeed } from './feed.ts';
import type { LiveHandlers } from './ws.ts';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

function setup() {
  let live: LiveHandlers<string[]> | null = null;
  const resolvers: ((v: string[] | null) => void)[] = [];
  const fetch = vi.fn(() => new Promise<string[] | null>((r) => resolvers.push(r)));
  const onData = vi.fn();
  const onError = vi.fn();
  const feed = startFeed<string[]>({
    fetch,
    subscribe: (h) => {
      live = h;
      return () => undefined;
    },
    onData,
    onError,
  });
  return { feed, fetch, onData, onError, resolvers, live: () => live };
}

describe('service feed', () => {
  test('polls while the subscription is down, not while it is live', async () => {
    const s = setup();
    expect(s.fetch).toHaveBeenCalledTimes(1);
    s.live()?.disconnected();
    await vi.advanceTimersByTimeAsync(6000);
    expect(s.fetch).toHaveBeenCalledTimes(4);
    s.live()?.connected(); // resync once on connect
    expect(s.fetch).toHaveBeenCalledTimes(5);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.fetch).toHaveBeenCalledTimes(5);
    s.feed.stop();
  });

  test('live events are shown; a fetch that started before one is stale and ignored', async () => {
    const s = setup();
    s.live()?.next(['live']);
    s.resolvers[0]?.(['stale']);
    await Promise.resolve();
    expect(s.onData.mock.calls).toEqual([[['live']]]);
    s.feed.refresh();
    s.resolvers[1]?.(['fresh']);
    await Promise.resolve();
    expect(s.onData).toHaveBeenLastCalledWith(['fresh']);
    s.feed.refresh();
    s.resolvers[2]?.(null);
    await Promise.resolve();
    expect(s.onError).toHaveBeenCalledOnce();
    s.feed.stop();
  });
});
