import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ClientOptions } from 'graphql-ws';
import { RETRY_CAP_MS, createApiClient, retryDelay } from './client';

// The WebSocket client is replaced by a recorder of the options it was given: the tests play
// the connection's events through them.
const ws = vi.hoisted(() => ({ options: null as ClientOptions | null }));
vi.mock('graphql-ws', () => ({
  createClient: (options: ClientOptions) => {
    ws.options = options;
    return { subscribe: vi.fn(), dispose: vi.fn() };
  },
}));

const close = (code: number) => ({ code, reason: '' });

function connect(token: string | null) {
  const events = { onUnauthenticated: vi.fn(), onDisconnected: vi.fn(), onReconnected: vi.fn() };
  const api = createApiClient(token, events);
  const on = ws.options?.on ?? {};
  return {
    events,
    dispose: api.dispose,
    connecting: (isRetry = false) => on.connecting?.(isRetry),
    connected: (wasRetry: boolean) => on.connected?.({}, {}, wasRetry),
    closed: (code: number) => on.closed?.(close(code)),
    shouldRetry: (code: number) => ws.options?.shouldRetry?.(close(code)),
  };
}

beforeEach(() => {
  vi.stubGlobal('window', { location: { href: 'https://desk.example/admin/orders' } });
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('the live connection', () => {
  test('talks to /graphql over wss next to the page', () => {
    connect('t');
    expect(ws.options?.url).toBe('wss://desk.example/graphql');
  });

  test('a handshake the server refuses (1002, as async-graphql closes) signs out', () => {
    const c = connect('expired-token');
    c.connecting();
    c.closed(1002);
    expect(c.events.onUnauthenticated).toHaveBeenCalledOnce();
    expect(c.shouldRetry(1002)).toBe(false);
    expect(c.shouldRetry(4403)).toBe(false);
  });

  test('a dropped connection is retried and does not sign out', () => {
    const c = connect('t');
    c.connecting();
    c.connected(false);
    c.closed(1006);
    expect(c.shouldRetry(1006)).toBe(true);
    expect(c.events.onUnauthenticated).not.toHaveBeenCalled();
  });

  test('a close after the handshake was accepted is not a refused token', () => {
    const c = connect('t');
    c.connecting();
    c.connected(false);
    c.closed(1002);
    expect(c.events.onUnauthenticated).not.toHaveBeenCalled();
  });

  test('without a token there is nobody to sign out', () => {
    const c = connect(null);
    c.connecting();
    c.closed(1002);
    expect(c.events.onUnauthenticated).not.toHaveBeenCalled();
  });

  test('coming back after a drop is reported (what arrived meanwhile was missed)', () => {
    const c = connect('t');
    c.connecting();
    c.connected(false);
    expect(c.events.onReconnected).not.toHaveBeenCalled();
    c.closed(1006);
    c.connecting();
    c.connected(true);
    expect(c.events.onReconnected).toHaveBeenCalledOnce();
  });
});

describe('while the live connection is down', () => {
  test('a drop says so, and coming back says it is over', () => {
    const c = connect('t');
    c.connecting();
    c.connected(false);
    expect(c.events.onDisconnected).not.toHaveBeenCalled();
    c.closed(1006);
    expect(c.events.onDisconnected).toHaveBeenCalled();
    c.connecting(true);
    c.closed(1006); // the server is still away
    c.connecting(true);
    expect(c.events.onReconnected).not.toHaveBeenCalled();
    c.connected(true);
    expect(c.events.onReconnected).toHaveBeenCalledOnce();
  });

  test('a server that is away at the start is a drop too', () => {
    const c = connect('t');
    c.connecting();
    c.closed(1006);
    expect(c.events.onDisconnected).toHaveBeenCalledOnce();
    expect(c.events.onUnauthenticated).not.toHaveBeenCalled();
  });

  test('a clean close from the server that is retried is a drop', () => {
    const c = connect('t');
    c.connecting();
    c.connected(false);
    c.closed(1000);
    expect(c.events.onDisconnected).not.toHaveBeenCalled(); // maybe nothing listens any more
    c.connecting(true);
    expect(c.events.onDisconnected).toHaveBeenCalledOnce();
    c.connected(true);
    expect(c.events.onReconnected).toHaveBeenCalledOnce();
  });

  test('a socket up again at once after a clean close still catches up', () => {
    // graphql-ws reconnects at once after a 1000 while subscriptions listen, and calls that
    // neither a retry (connecting) nor a reconnection (connected): the gap is ours to note.
    const c = connect('t');
    c.connecting();
    c.connected(false);
    expect(c.events.onReconnected).not.toHaveBeenCalled();
    c.closed(1000);
    c.connecting(false);
    c.connected(false);
    expect(c.events.onReconnected).toHaveBeenCalledOnce();
    c.closed(1000);
    c.connecting(false);
    c.connected(false);
    expect(c.events.onReconnected).toHaveBeenCalledTimes(2);
  });

  test('neither a refused token nor closing the client is an outage', () => {
    const refused = connect('expired-token');
    refused.connecting();
    refused.closed(1002);
    expect(refused.events.onDisconnected).not.toHaveBeenCalled();

    const disposed = connect('t');
    disposed.connecting();
    disposed.connected(false);
    disposed.dispose();
    disposed.closed(1006);
    expect(disposed.events.onDisconnected).not.toHaveBeenCalled();
  });

  test('it is retried for as long as the page is open, with a capped wait', () => {
    connect('t');
    expect(ws.options?.retryAttempts).toBe(Infinity);
    expect(ws.options?.retryWait).toBeTypeOf('function');
  });
});

describe('the wait before a retry', () => {
  const low = () => 0;
  const high = () => 1 - Number.EPSILON;

  test('doubles from a quick first retry, then stays at the cap', () => {
    // The lower and upper ends of each wait, in ms.
    const ends = [0, 1, 2, 3, 4, 10, 100].map((n) => [retryDelay(n, low), retryDelay(n, high)]);
    expect(ends).toEqual([
      [500, 1000],
      [1000, 2000],
      [2000, 4000],
      [2500, 5000],
      [2500, 5000],
      [2500, 5000],
      [2500, 5000],
    ]);
  });

  test('never longer than the cap, however long the server is away', () => {
    for (let retries = 0; retries < 10_000; retries += 1) {
      expect(retryDelay(retries)).toBeLessThanOrEqual(RETRY_CAP_MS);
    }
  });

  test('jittered: tabs that lost the server together do not all come back at one instant', () => {
    const waits = new Set(Array.from({ length: 50 }, () => retryDelay(6)));
    expect(waits.size).toBeGreaterThan(25);
    for (const wait of waits) {
      expect(wait).toBeGreaterThanOrEqual(RETRY_CAP_MS / 2);
      expect(wait).toBeLessThanOrEqual(RETRY_CAP_MS);
    }
  });

  test('the wait is taken on the window’s timer', async () => {
    vi.useFakeTimers();
    vi.spyOn(Math, 'random').mockReturnValue(0);
    const setTimeout = vi.fn(globalThis.setTimeout);
    vi.stubGlobal('window', { location: { href: 'https://desk.example/' }, setTimeout });
    connect('t');
    const waited = ws.options?.retryWait?.(3);
    await vi.advanceTimersByTimeAsync(RETRY_CAP_MS / 2);
    await waited;
    expect(setTimeout).toHaveBeenCalledWith(expect.any(Function), RETRY_CAP_MS / 2);
  });
});
