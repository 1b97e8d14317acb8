// How batches reach the server: a normal POST through the page's GraphQL client, or, when the
// page is being hidden, `fetch` with `keepalive` (JSON content type, so the server reads it like
// any request) falling back to `navigator.sendBeacon` with a JSON Blob. Resending is safe: the
// server applies each seq once. Only a refusal the server answers before applying anything
// (`RATE_LIMITED`, or nginx's 429) is `retry`; a lost answer or a server error is `unknown`.

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
  /** `notQueued`: what it means when the browser would not queue the beacon. */
  const viaBeacon = (body: string, notQueued: SendOutcome): SendOutcome => {
    try {
      return beacon?.(endpoint, new Blob([body], { type: 'application/json' })) ? 'ok' : notQueued;
    } catch {
      return notQueued;
    }
  };

  return async (batch, keepalive) => {
    const variables = { input: batch };
    if (keepalive && !keepaliveFetch && beacon) {
      return viaBeacon(encode(SUBMIT_METRICS, variables), 'retry');
    }
    const result = await execute(SUBMIT_METRICS, variables, { keepalive });
    if (result.ok) return result.data.submitMetrics ? 'ok' : 'unknown';
    if ('network' in result) {
      // A keepalive fetch can be refused (e.g. over the browser's in-flight quota); it may also
      // have reached the server, so the beacon carries the same batch.
      return keepalive && beacon
        ? viaBeacon(encode(SUBMIT_METRICS, variables), 'unknown')
        : 'unknown';
    }
    const found = codes(result.errors);
    if (found.includes('BAD_USER_INPUT')) return 'drop';
    return found.every((code) => code === 'RATE_LIMITED') ? 'retry' : 'unknown';
  };
}
