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
  test('a page load fetches once: when the subscription connects', async () => {
    const s = setup();
    expect(s.fetch).not.toHaveBeenCalled();
    s.live()?.connected();
    expect(s.fetch).toHaveBeenCalledOnce();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(s.fetch).toHaveBeenCalledOnce();
    s.feed.stop();
  });

  test('without a subscription the first fetch waits only a short grace', async () => {
    const s = setup();
    await vi.advanceTimersByTimeAsync(999);
    expect(s.fetch).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(s.fetch).toHaveBeenCalledOnce();
    s.feed.stop();
  });

  test('polls while the subscription is down, not while it is live', async () => {
    const s = setup();
    s.live()?.disconnected(); // the socket failed: fetch at once
    expect(s.fetch).toHaveBeenCalledTimes(1);
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
    s.live()?.connected();
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
