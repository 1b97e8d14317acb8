// The one GraphQL client: POST for queries and mutations, graphql-ws for subscriptions, the
// bearer token on both, and UNAUTHENTICATED (or a refused WebSocket, 4403) means signed out.
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

/** WebSocket close code the server uses for a bad token in `connection_init`. */
export const WS_FORBIDDEN = 4403;

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

export function createApiClient(token: string | null, onUnauthenticated: () => void): ApiClient {
  const ws = createWsClient({
    url: wsUrl(),
    lazy: true,
    retryAttempts: 20,
    connectionParams: () => (token ? { Authorization: `Bearer ${token}` } : {}),
    shouldRetry: (event) => closeCode(event) !== WS_FORBIDDEN,
    on: {
      closed: (event) => {
        if (token && closeCode(event) === WS_FORBIDDEN) onUnauthenticated();
      },
    },
  });

  const client = new Client({
    url: GRAPHQL_PATH,
    preferGetMethod: false,
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
