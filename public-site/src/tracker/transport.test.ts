import { describe, expect, test, vi } from 'vitest';
import { createClient, type FetchLike } from '../api/client.ts';
import type { MetricsBatchInput } from '../api/documents.ts';
import { createTransport } from './transport.ts';

const batch: MetricsBatchInput = {
  visitorId: '0190c3d2-7b7e-4c3a-9a55-1f2e3d4c5b6a',
  visitId: '0190c3d2-7b7e-4c3a-9a55-1f2e3d4c5b6b',
  seq: 3,
  page: '/',
  viewportWidth: 1280,
  viewportHeight: 800,
  engagedSeconds: 1,
  clicks: [{ element: 'submit', count: 1 }],
  points: [{ x: 0.5, y: 10 }],
  fields: [],
};

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

function setup(fetchImpl: FetchLike, keepaliveFetch = true) {
  const beacon = vi.fn<(url: string, data: Blob) => boolean>(() => true);
  const fetchSpy = vi.fn(fetchImpl);
  const send = createTransport({ execute: createClient(fetchSpy), beacon, keepaliveFetch });
  return { send, beacon, fetchSpy };
}

describe('metrics transport', () => {
  test('posts the batch as JSON and reads the acknowledgement', async () => {
    const { send, fetchSpy } = setup(() =>
      Promise.resolve(json({ data: { submitMetrics: true } })),
    );
    expect(await send(batch, false)).toBe('ok');
    const [url, init] = fetchSpy.mock.calls[0] ?? [];
    expect(url).toBe('/graphql');
    expect(init).toMatchObject({
      method: 'POST',
      keepalive: false,
      headers: { 'content-type': 'application/json' },
    });
    const body = JSON.parse(init?.body as string) as { query: string; variables: unknown };
    expect(body.query).toContain('submitMetrics(input: $input)');
    expect(body.variables).toEqual({ input: batch });
  });

  test('a page-hide flush uses fetch keepalive with a JSON content type', async () => {
    const { send, fetchSpy, beacon } = setup(() =>
      Promise.resolve(json({ data: { submitMetrics: true } })),
    );
    expect(await send(batch, true)).toBe('ok');
    expect(fetchSpy.mock.calls[0]?.[1]).toMatchObject({
      keepalive: true,
      headers: { 'content-type': 'application/json' },
    });
    expect(beacon).not.toHaveBeenCalled();
  });

  test('falls back to sendBeacon with a JSON Blob when the keepalive fetch is refused', async () => {
    const { send, beacon } = setup(() => Promise.reject(new TypeError('quota')));
    expect(await send(batch, true)).toBe('ok');
    const blob = beacon.mock.calls[0]?.[1];
    expect(beacon.mock.calls[0]?.[0]).toBe('/graphql');
    expect(blob?.type).toBe('application/json');
    expect(JSON.parse((await blob?.text()) ?? '')).toMatchObject({ variables: { input: batch } });
  });

  test('uses sendBeacon directly where fetch has no keepalive', async () => {
    const { send, beacon, fetchSpy } = setup(() => Promise.reject(new Error('unused')), false);
    expect(await send(batch, true)).toBe('ok');
    expect(fetchSpy).not.toHaveBeenCalled();
    expect(beacon).toHaveBeenCalledOnce();
    beacon.mockReturnValueOnce(false);
    expect(await send(batch, true)).toBe('retry');
  });

  test('a refusal the server answered is retried; a lost answer or server error is unknown', async () => {
    const outcome = (response: () => Promise<Response>) => setup(response).send(batch, false);
    const failing = (code: string) =>
      json({ errors: [{ message: 'x', extensions: { code, field: 'points' } }] });
    expect(await outcome(() => Promise.resolve(failing('RATE_LIMITED')))).toBe('retry');
    // nginx's own limit answers 429 with an HTML page.
    expect(await outcome(() => Promise.resolve(new Response('slow', { status: 429 })))).toBe(
      'retry',
    );
    expect(await outcome(() => Promise.reject(new Error('offline')))).toBe('unknown');
    expect(await outcome(() => Promise.resolve(new Response('gateway', { status: 502 })))).toBe(
      'unknown',
    );
    expect(await outcome(() => Promise.resolve(failing('INTERNAL')))).toBe('unknown');
    expect(await outcome(() => Promise.resolve(failing('BAD_USER_INPUT')))).toBe('drop');
  });

  test('a keepalive fetch that failed and a beacon the browser would not queue: unknown', async () => {
    const { send, beacon } = setup(() => Promise.reject(new TypeError('network')));
    beacon.mockReturnValueOnce(false);
    expect(await send(batch, true)).toBe('unknown');
  });
});
