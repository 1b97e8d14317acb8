// The one GraphQL client: POST for queries and mutations, graphql-ws for subscriptions, the
// bearer token on both, and UNAUTHENTICATED (or a WebSocket refused at its handshake) means
// signed out. Screens show what is cached at once and refresh it from the server
// (cache-and-network): coming back to a list or to the statistics never shows stale numbers.
// The live connection never gives up while the page is open: after a drop it is retried with a
// capped, jittered wait (`retryDelay`), and the screens are told when it is down and back.
import {
  Client,
  cacheExchange,
  fetchExchange,
  mapExchange,
  subscriptionExchange,
} from '@urql/core';
import { createClient as createWsClient } from 'graphql-ws';
import { isUnauthenticated } from '../lib/errors';

export const GRAPHQL_PATH = '/graphql';

/** Close codes of a handshake the server refused: async-graphql closes with 1002 when
 * `connection_init` is refused (a bad or expired token); 4403 is graphql-ws's "Forbidden". */
export const WS_REFUSED = new Set([1002, 4403]);

function wsUrl(): string {
  const url = new URL(GRAPHQL_PATH, window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

function closeCode(event: unknown): number | null {
  if (typeof event === 'object' && event !== null && 'code' in event) {
    const code = event.code;
    return typeof code === 'number' ? code : null;
  }
  return null;
}

/** The first retry's ceiling, doubled per failed attempt up to `RETRY_CAP_MS`. */
export const RETRY_BASE_MS = 1_000;
/** The longest wait between two attempts. A refused connection to a server that is down costs
 * next to nothing, and an admin waits for new orders: once the server is back, a tab hears it
 * within 5 s, not after the minutes an uncapped doubling reaches during an upgrade. */
export const RETRY_CAP_MS = 5_000;

/**
 * How long to wait before retry number `retries` (0 = the first after a drop): a ceiling that
 * doubles from `RETRY_BASE_MS` to `RETRY_CAP_MS`, and a random point in its upper half ("equal
 * jitter"). The half keeps a blip's first retry quick (0.5–1 s); the randomness spreads the tabs
 * of a whole office over 2.5–5 s when the server comes back, instead of all at one instant.
 */
export function retryDelay(retries: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RETRY_CAP_MS, RETRY_BASE_MS * 2 ** Math.max(0, retries));
  return Math.round(ceiling / 2 + (ceiling / 2) * random());
}

const retryWait = (retries: number) =>
  new Promise<void>((resolve) => window.setTimeout(resolve, retryDelay(retries)));

export interface ApiClient {
  client: Client;
  dispose: () => void;
}

export interface ApiEvents {
  /** The server refused the token: sign in again. */
  onUnauthenticated: () => void;
  /** The WebSocket dropped (or could not connect) and is being retried: nothing arrives live. */
  onDisconnected: () => void;
  /** The WebSocket came back after a drop: events of the gap were missed. */
  onReconnected: () => void;
}

export function createApiClient(
  token: string | null,
  { onUnauthenticated, onDisconnected, onReconnected }: ApiEvents,
): ApiClient {
  let acknowledged = false;
  // A socket that was up has closed: what arrived until the next one is up was missed. Kept
  // apart from the library's `isRetry`/`wasRetry`, which stay false when it reconnects at once
  // after a clean close (1000) while subscriptions are still listening.
  let gap = false;
  // A disposed client (signed out, or a new token) closes its socket: that is no outage.
  let disposed = false;
  const ws = createWsClient({
    url: wsUrl(),
    lazy: true,
    // Never give up while the page is open: a server upgrade may take minutes.
    retryAttempts: Infinity,
    retryWait,
    connectionParams: () => (token ? { Authorization: `Bearer ${token}` } : {}),
    shouldRetry: (event) => !WS_REFUSED.has(closeCode(event) ?? 0),
    on: {
      connecting: (isRetry) => {
        acknowledged = false;
        // A retry after a clean close (1000 from the server while we still listen).
        if (isRetry && !disposed) onDisconnected();
      },
      connected: (_socket, _payload, wasRetry) => {
        acknowledged = true;
        if ((wasRetry || gap) && !disposed) onReconnected();
        gap = false;
      },
      closed: (event) => {
        if (disposed) return;
        if (acknowledged) gap = true;
        const code = closeCode(event);
        const refused = code !== null && WS_REFUSED.has(code);
        if (refused && !acknowledged) {
          // The handshake was refused: the token is no good (not retried). Without a token
          // there is nobody to sign out.
          if (token) onUnauthenticated();
          return;
        }
        // 1000 is the lazy close when nothing listens any more; anything else is a drop (1006
        // when the server went away, 1001/1012 when it shut down).
        if (code !== 1000) onDisconnected();
      },
    },
  });

  const client = new Client({
    url: GRAPHQL_PATH,
    preferGetMethod: false,
    requestPolicy: 'cache-and-network',
    fetchOptions: () => (token ? { headers: { authorization: `Bearer ${token}` } } : {}),
    exchanges: [
      mapExchange({
        onError(error) {
          if (token && isUnauthenticated(error)) onUnauthenticated();
        },
      }),
      cacheExchange,
      fetchExchange,
      subscriptionExchange({
        forwardSubscription(request) {
          const input = { ...request, query: request.query ?? '' };
          return {
            subscribe(sink) {
              const unsubscribe = ws.subscribe(input, sink);
              return { unsubscribe };
            },
          };
        },
      }),
    ],
  });

  return {
    client,
    dispose: () => {
      disposed = true;
      void ws.dispose();
    },
  };
}
