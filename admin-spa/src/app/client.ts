// The one GraphQL client: POST for queries and mutations, graphql-ws for subscriptions, the
// bearer token on both, and UNAUTHENTICATED (or a WebSocket refused at its handshake) means
// signed out. Screens show what is cached at once and refresh it from the server
// (cache-and-network): coming back to a list or to the statistics never shows stale numbers.
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

export interface ApiClient {
  client: Client;
  dispose: () => void;
}

export interface ApiEvents {
  /** The server refused the token: sign in again. */
  onUnauthenticated: () => void;
  /** The WebSocket came back after a drop: events of the gap were missed. */
  onReconnected: () => void;
}

export function createApiClient(
  token: string | null,
  { onUnauthenticated, onReconnected }: ApiEvents,
): ApiClient {
  let acknowledged = false;
  const ws = createWsClient({
    url: wsUrl(),
    lazy: true,
    retryAttempts: 20,
    connectionParams: () => (token ? { Authorization: `Bearer ${token}` } : {}),
    shouldRetry: (event) => !WS_REFUSED.has(closeCode(event) ?? 0),
    on: {
      connecting: () => {
        acknowledged = false;
      },
      connected: (_socket, _payload, wasRetry) => {
        acknowledged = true;
        if (wasRetry) onReconnected();
      },
      closed: (event) => {
        const code = closeCode(event);
        if (token && !acknowledged && code !== null && WS_REFUSED.has(code)) onUnauthenticated();
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

  return { client, dispose: () => void ws.dispose() };
}
