// A bare graphql-transport-ws client on `ws`, so tests see exactly what the server does: the
// close code and reason, the messages of each operation, whether connection_ack came.
import { randomUUID } from 'node:crypto';
import WebSocket from 'ws';
import { HANG_MS } from './http.mjs';

/**
 * Opens a socket (protocol graphql-transport-ws). Resolves once open, or with
 * { refused: status } when the upgrade is answered with an HTTP status.
 */
export function openSocket(wsUrl, { protocol = 'graphql-transport-ws', headers } = {}) {
  return new Promise((resolve, reject) => {
    // `protocol: null` offers no subprotocol at all.
    const ws = new WebSocket(wsUrl, protocol ?? [], { headers, handshakeTimeout: HANG_MS });
    const conn = {
      ws,
      messages: [],
      closed: undefined, // { code, reason }
      waiters: new Set(),
    };
    const wake = () => {
      for (const w of conn.waiters) w();
    };
    ws.on('message', (data) => {
      try {
        conn.messages.push(JSON.parse(data.toString('utf8')));
      } catch {
        conn.messages.push({ type: 'unparsable', data: data.toString('utf8') });
      }
      wake();
    });
    ws.on('close', (code, reason) => {
      conn.closed = { code, reason: reason.toString('utf8') };
      wake();
    });
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ refused: res.statusCode, body }));
      res.on('error', () => resolve({ refused: res.statusCode, body }));
    });
    ws.on('error', (err) => {
      if (ws.readyState === WebSocket.CONNECTING) reject(err);
    });
    ws.on('open', () => resolve(makeApi(conn)));
  });
}

function makeApi(conn) {
  /** Resolves with the first match of `predicate` over messages, or 'closed' / 'timeout'. */
  function waitFor(predicate, ms = HANG_MS) {
    return new Promise((resolve) => {
      const check = () => {
        const hit = conn.messages.find(predicate);
        if (hit) return done(hit);
        if (conn.closed) return done('closed');
        return undefined;
      };
      const timer = setTimeout(() => done('timeout'), ms);
      function done(value) {
        clearTimeout(timer);
        conn.waiters.delete(check);
        resolve(value);
      }
      conn.waiters.add(check);
      check();
    });
  }
  function waitClosed(ms = HANG_MS) {
    return new Promise((resolve) => {
      const check = () => {
        if (conn.closed) done(conn.closed);
      };
      const timer = setTimeout(() => done('timeout'), ms);
      function done(value) {
        clearTimeout(timer);
        conn.waiters.delete(check);
        resolve(value);
      }
      conn.waiters.add(check);
      check();
    });
  }
  const sendJson = (message) => {
    if (conn.ws.readyState === WebSocket.OPEN) conn.ws.send(JSON.stringify(message));
  };
  return {
    messages: conn.messages,
    get closed() {
      return conn.closed;
    },
    sendJson,
    sendRaw: (data) => conn.ws.readyState === WebSocket.OPEN && conn.ws.send(data),
    waitFor,
    waitClosed,
    /** connection_init; resolves 'ack', or { closed } when refused. */
    async init(payload) {
      sendJson({ type: 'connection_init', ...(payload === undefined ? {} : { payload }) });
      const got = await waitFor((m) => m.type === 'connection_ack');
      if (got === 'closed') return { closed: conn.closed };
      if (got === 'timeout') throw new Error('hang: no connection_ack and no close');
      return 'ack';
    },
    /**
     * subscribe; resolves with { id, next: [...], error, complete } once the operation
     * errored or completed, or the socket closed.
     */
    async operation(query, variables) {
      const id = randomUUID();
      sendJson({ id, type: 'subscribe', payload: { query, ...(variables ? { variables } : {}) } });
      const end = await waitFor(
        (m) => m.id === id && (m.type === 'error' || m.type === 'complete'),
      );
      if (end === 'timeout') throw new Error(`hang: operation ${query.slice(0, 60)} unanswered`);
      const mine = conn.messages.filter((m) => m.id === id);
      return {
        id,
        next: mine.filter((m) => m.type === 'next').map((m) => m.payload),
        error: mine.find((m) => m.type === 'error')?.payload,
        complete: mine.some((m) => m.type === 'complete'),
        closed: conn.closed,
      };
    },
    close() {
      if (conn.ws.readyState === WebSocket.OPEN || conn.ws.readyState === WebSocket.CONNECTING) conn.ws.close(1000);
      return waitClosed(5000);
    },
    terminate() {
      conn.ws.terminate();
    },
  };
}

/** The `extensions.code`s of a GraphQL error list (or an `error` message's payload). */
export function codes(errors) {
  return (errors ?? []).map((e) => e?.extensions?.code);
}
