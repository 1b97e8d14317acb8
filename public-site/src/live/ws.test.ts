import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { PROTOCOL, socketUrl, subscribe, type SocketLike } from './ws.ts';

class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closed = false;
  onopen: SocketLike['onopen'] = null;
  onmessage: SocketLike['onmessage'] = null;
  onclose: SocketLike['onclose'] = null;
  onerror: SocketLike['onerror'] = null;
  readonly url: string;
  readonly protocol: string;
  constructor(url: string, protocol: string) {
    this.url = url;
    this.protocol = protocol;
  }
  send(data: string) {
    this.sent.push(JSON.parse(data) as Record<string, unknown>);
  }
  close() {
    this.closed = true;
    this.readyState = 3;
  }
  open() {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  receive(message: object) {
    this.onmessage?.(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
  drop() {
    this.readyState = 3;
    this.onclose?.(new CloseEvent('close'));
  }
}

let sockets: FakeSocket[] = [];
const handlers = () => ({ connected: vi.fn(), disconnected: vi.fn(), next: vi.fn() });
const start = (h: ReturnType<typeof handlers>) =>
  subscribe('ws://host/graphql', 'subscription { x }', h, {
    socket: (url, protocol) => {
      const socket = new FakeSocket(url, protocol);
      sockets.push(socket);
      return socket;
    },
  });

beforeEach(() => {
  vi.useFakeTimers();
  sockets = [];
});
afterEach(() => vi.useRealTimers());

describe('graphql-transport-ws client', () => {
  test('init, ack, subscribe, next, ping/pong, complete on stop', () => {
    const h = handlers();
    const stop = start(h);
    const ws = sockets[0];
    expect(ws?.protocol).toBe(PROTOCOL);
    ws?.open();
    expect(ws?.sent).toEqual([{ type: 'connection_init', payload: {} }]);
    ws?.receive({ type: 'connection_ack' });
    expect(ws?.sent[1]).toEqual({
      id: '1',
      type: 'subscribe',
      payload: { query: 'subscription { x }' },
    });
    expect(h.connected).toHaveBeenCalledOnce();
    ws?.receive({ id: '1', type: 'next', payload: { data: { x: 1 } } });
    expect(h.next).toHaveBeenCalledWith({ x: 1 });
    ws?.receive({ type: 'ping' });
    expect(ws?.sent[2]).toEqual({ type: 'pong' });
    stop();
    expect(ws?.sent[3]).toEqual({ id: '1', type: 'complete' });
    expect(ws?.closed).toBe(true);
    vi.advanceTimersByTime(60_000);
    expect(sockets).toHaveLength(1);
  });

  test('reconnects with growing pauses after the socket drops or never acks', () => {
    const h = handlers();
    const stop = start(h);
    sockets[0]?.drop();
    expect(h.disconnected).toHaveBeenCalledOnce();
    vi.advanceTimersByTime(999);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    // Opens but never acknowledges: given up after 5 s, then 2 s pause.
    sockets[1]?.open();
    vi.advanceTimersByTime(5000);
    expect(sockets[1]?.closed).toBe(true);
    vi.advanceTimersByTime(2000);
    expect(sockets).toHaveLength(3);
    sockets[2]?.open();
    sockets[2]?.receive({ type: 'connection_ack' });
    expect(h.connected).toHaveBeenCalledOnce();
    // A success resets the pause.
    sockets[2]?.drop();
    vi.advanceTimersByTime(1000);
    expect(sockets).toHaveLength(4);
    stop();
  });

  test('socket URL follows the page scheme', () => {
    expect(socketUrl({ protocol: 'https:', host: 'a.example' } as Location, '/graphql')).toBe(
      'wss://a.example/graphql',
    );
    expect(socketUrl({ protocol: 'http:', host: '127.0.0.1:8080' } as Location, '/graphql')).toBe(
      'ws://127.0.0.1:8080/graphql',
    );
  });
});
