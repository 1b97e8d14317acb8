// A minimal graphql-transport-ws client for the page's subscriptions, all on one socket: init →
// ack → subscribe (ids 1, 2, …), answers
// pings, and reconnects with backoff. Smaller than the graphql-ws package, which matters for the
// page's 20 KB budget; the polling fallback (feed.ts) covers what a lost socket misses.

export const PROTOCOL = 'graphql-transport-ws';

export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: Event) => unknown) | null;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onclose: ((ev: CloseEvent) => unknown) | null;
  onerror: ((ev: Event) => unknown) | null;
}

export type SocketFactory = (url: string, protocol: string) => SocketLike;

export interface LiveHandlers<TData> {
  /** The subscription is active: events from now on will arrive. */
  connected(): void;
  /** The socket is gone (or never came): events may be missed until `connected` again. */
  disconnected(): void;
  next(data: TData): void;
}

export interface LiveOptions {
  socket: SocketFactory;
  /** No `connection_ack` within this many ms counts as a failed connection. */
  ackTimeoutMs?: number;
  retryBaseMs?: number;
  retryMaxMs?: number;
}

interface Message {
  type?: string;
  id?: string;
  payload?: { data?: unknown };
}

const OPEN = 1;

/** Subscribes (one query or several on one socket) until the returned function is called. */
export function subscribe<TData>(
  url: string,
  query: string | readonly string[],
  handlers: LiveHandlers<TData>,
  { socket: open, ackTimeoutMs = 5000, retryBaseMs = 1000, retryMaxMs = 30_000 }: LiveOptions,
): () => void {
  let ws: SocketLike | null = null;
  let stopped = false;
  let failures = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const queries = typeof query === 'string' ? [query] : query;
  const ids = queries.map((_, i) => String(i + 1));

  const send = (message: object) => {
    if (ws?.readyState === OPEN) ws.send(JSON.stringify(message));
  };

  const lost = () => {
    clearTimeout(timer);
    const socket = ws;
    ws = null;
    if (socket) {
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      try {
        socket.close(1000);
      } catch {
        // already closed
      }
    }
    handlers.disconnected();
    if (stopped) return;
    failures += 1;
    const delay = Math.min(retryMaxMs, retryBaseMs * 2 ** (failures - 1));
    timer = setTimeout(connect, delay);
  };

  function connect() {
    if (stopped) return;
    let socket: SocketLike;
    try {
      socket = open(url, PROTOCOL);
    } catch {
      ws = null;
      lost();
      return;
    }
    ws = socket;
    timer = setTimeout(lost, ackTimeoutMs);
    socket.onopen = () => send({ type: 'connection_init', payload: {} });
    socket.onclose = lost;
    socket.onerror = lost;
    socket.onmessage = (event) => {
      let message: Message;
      try {
        message = JSON.parse(String(event.data)) as Message;
      } catch {
        return;
      }
      switch (message.type) {
        case 'connection_ack':
          clearTimeout(timer);
          failures = 0;
          queries.forEach((q, i) => send({ id: ids[i], type: 'subscribe', payload: { query: q } }));
          handlers.connected();
          break;
        case 'ping':
          send({ type: 'pong' });
          break;
        case 'next':
          if (ids.includes(message.id ?? '') && message.payload?.data)
            handlers.next(message.payload.data as TData);
          break;
        case 'error':
        case 'complete':
          lost();
          break;
      }
    };
  }

  connect();
  return () => {
    stopped = true;
    clearTimeout(timer);
    if (ws) {
      for (const id of ids) send({ id, type: 'complete' });
      const socket = ws;
      ws = null;
      socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
      socket.close(1000);
    }
  };
}

export function socketUrl(location: Location, path: string): string {
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${path}`;
}
