import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { ClientOptions } from 'graphql-ws';
import { createApiClient } from './client';

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
  const events = { onUnauthenticated: vi.fn(), onReconnected: vi.fn() };
  createApiClient(token, events);
  const on = ws.options?.on ?? {};
  return {
    events,
    connecting: () => on.connecting?.(false),
    connected: (wasRetry: boolean) => on.connected?.({}, {}, wasRetry),
    closed: (code: number) => on.closed?.(close(code)),
    shouldRetry: (code: number) => ws.options?.shouldRetry?.(close(code)),
  };
}

beforeEach(() => {
  vi.stubGlobal('window', { location: { href: 'https://desk.example/admin/orders' } });
});

afterEach(() => {
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
