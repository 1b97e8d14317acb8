// How batches reach the server: a normal POST through the page's GraphQL client, or, when the
// page is being hidden, `fetch` with `keepalive` (JSON content type, so the server reads it like
// any request) falling back to `navigator.sendBeacon` with a JSON Blob. Resending is safe: the
// server applies each seq once.

import { codes, encode, type Execute } from '../api/client.ts';
import { SUBMIT_METRICS } from '../api/documents.ts';
import type { Send, SendOutcome } from './tracker.ts';

export interface TransportOptions {
  execute: Execute;
  /** `navigator.sendBeacon` bound to the navigator, when the browser has it. */
  beacon?: ((url: string, data: Blob) => boolean) | undefined;
  /** Whether `fetch` honours `keepalive` here (`'keepalive' in Request.prototype`). */
  keepaliveFetch: boolean;
  endpoint?: string;
}

export function createTransport({
  execute,
  beacon,
  keepaliveFetch,
  endpoint = '/graphql',
}: TransportOptions): Send {
  const viaBeacon = (body: string): SendOutcome => {
    try {
      return beacon?.(endpoint, new Blob([body], { type: 'application/json' })) ? 'ok' : 'retry';
    } catch {
      return 'retry';
    }
  };

  return async (batch, keepalive) => {
    const variables = { input: batch };
    if (keepalive && !keepaliveFetch && beacon) return viaBeacon(encode(SUBMIT_METRICS, variables));
    const result = await execute(SUBMIT_METRICS, variables, { keepalive });
    if (result.ok) return result.data.submitMetrics ? 'ok' : 'retry';
    if ('network' in result) {
      // A keepalive fetch can be refused (e.g. over the browser's in-flight quota).
      return keepalive && beacon ? viaBeacon(encode(SUBMIT_METRICS, variables)) : 'retry';
    }
    return codes(result.errors).includes('BAD_USER_INPUT') ? 'drop' : 'retry';
  };
}
