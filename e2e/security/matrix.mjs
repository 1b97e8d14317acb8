// The authorization matrix: every admin-only root field of schema.graphql × every kind of bad
// credential, over HTTP and over the WebSocket. Admin-only is found by asking the server:
// a field that answers UNAUTHENTICATED without a token, and not with a valid admin token.
import { randomUUID } from 'node:crypto';
import { gql } from './http.mjs';
import { rootFields } from './schema.mjs';
import { codes, openSocket } from './ws.mjs';

/** Runs one generated operation over HTTP; returns { errors, data, status }. */
async function overHttp(server, op, authorization) {
  const headers = authorization === undefined ? {} : { authorization };
  const res = await gql(server.graphqlUrl, op.query, op.variables, { headers });
  return { status: res.status, errors: res.json?.errors ?? [], data: res.json?.data, text: res.text };
}

/**
 * Runs one operation over a fresh WebSocket whose connection_init carries `initPayload`.
 * Returns { refusedAtInit: {code, reason} } or { errors, data } of the operation. For a
 * subscription that stays open (no error), `open: true` after a short look.
 */
async function overWebSocket(server, op, initPayload) {
  const ws = await openSocket(server.wsUrl);
  if (ws.refused) throw new Error(`WebSocket upgrade refused with ${ws.refused}: ${ws.body}`);
  try {
    const init = await ws.init(initPayload);
    if (init !== 'ack') return { refusedAtInit: init.closed };
    return await operationOn(ws, op);
  } finally {
    await ws.close();
  }
}

/** One operation on an acknowledged socket. */
async function operationOn(ws, op) {
  const id = randomUUID();
  ws.sendJson({ id, type: 'subscribe', payload: { query: op.query, variables: op.variables } });
  // An operation that errors or completes answers; a live subscription just stays open.
  const end = await ws.waitFor((m) => m.id === id && (m.type === 'error' || m.type === 'complete' || m.type === 'next'), 5000);
  const mine = ws.messages.filter((m) => m.id === id);
  const errors = [];
  let data;
  for (const m of mine) {
    if (m.type === 'error') errors.push(...(Array.isArray(m.payload) ? m.payload : [m.payload]));
    if (m.type === 'next') {
      errors.push(...(m.payload?.errors ?? []));
      if (m.payload?.data != null) data = m.payload.data;
    }
  }
  return { errors, data, open: end === 'timeout', closed: ws.closed };
}

function hasData(data) {
  return data != null && Object.values(data).some((v) => v != null);
}

/**
 * The refusal a field gets on the socket with a bad credential: a subscription answers
 * UNAUTHENTICATED; a query or a mutation never runs there at all (the socket serves
 * subscriptions only), whatever the credential.
 */
function refusedOnSocket(f, res) {
  const expected = f.kind === 'subscription' ? 'UNAUTHENTICATED' : 'GRAPHQL_VALIDATION_FAILED';
  return codes(res.errors).includes(expected) && !hasData(res.data) && !res.open;
}

/** Fields that end the session they are run with: never run with the one valid token. */
export const SIGNS_OUT = new Set(['signOut']);

/**
 * Finds the admin-only fields. Returns { adminOnly: [...fields], publicFields: [...names] }.
 * `validToken` is a live admin's token.
 */
export async function classifyFields(server, validToken) {
  const adminOnly = [];
  const publicFields = [];
  for (const f of rootFields()) {
    const op = f.operation(() => randomUUID());
    const anonymous =
      f.kind === 'subscription' ? await overWebSocket(server, op, {}) : await overHttp(server, op, undefined);
    if (!codes(anonymous.errors).includes('UNAUTHENTICATED')) {
      publicFields.push(f.name);
      continue;
    }
    if (SIGNS_OUT.has(f.name)) {
      adminOnly.push(f);
      continue;
    }
    const signedIn =
      f.kind === 'subscription'
        ? await overWebSocket(server, op, { Authorization: `Bearer ${validToken}` })
        : await overHttp(server, op, `Bearer ${validToken}`);
    if (codes(signedIn.errors).includes('UNAUTHENTICATED')) publicFields.push(f.name);
    else adminOnly.push(f);
  }
  return { adminOnly, publicFields };
}

/**
 * `kinds`: { name: authorization header value or undefined } for HTTP. `ids` maps a field to
 * a real id (a service or a lead), so a bypass would change something real.
 * Returns { tried, failures[] }.
 */
export async function httpMatrix(server, fields, kinds, idFor) {
  const failures = [];
  let tried = 0;
  for (const f of fields) {
    if (f.kind === 'subscription') continue;
    for (const [kind, authorization] of Object.entries(kinds)) {
      tried += 1;
      const op = f.operation(() => idFor(f));
      const res = await overHttp(server, op, authorization);
      const got = codes(res.errors);
      if (res.status >= 500 || !got.includes('UNAUTHENTICATED') || hasData(res.data)) {
        failures.push(`HTTP ${f.kind} ${f.name} × ${kind}: ${res.status} ${res.text.slice(0, 300)}`);
      }
    }
  }
  return { tried, failures };
}

/**
 * Over the WebSocket: every admin-only field (queries and mutations too, which the protocol
 * carries and the server refuses) × every kind, each on a fresh socket. A bad token may be
 * refused at connection_init (the socket closes) or the operation is refused
 * (`refusedOnSocket`); either way no data.
 */
export async function wsMatrix(server, fields, kinds, idFor) {
  const failures = [];
  const initRefusals = new Map();
  let tried = 0;
  for (const f of fields) {
    for (const [kind, initPayload] of Object.entries(kinds)) {
      tried += 1;
      const op = f.operation(() => idFor(f));
      const res = await overWebSocket(server, op, initPayload);
      if (res.refusedAtInit) {
        const { code, reason } = res.refusedAtInit;
        initRefusals.set(kind, `${code} ${reason}`);
        if (code === 1000 || code === 1011 || !reason) {
          failures.push(`WS ${f.name} × ${kind}: closed at connection_init with ${code} "${reason}"`);
        }
        continue;
      }
      if (!refusedOnSocket(f, res)) {
        failures.push(`WS ${f.name} × ${kind}: ${JSON.stringify({ errors: res.errors, data: res.data, open: res.open })}`);
      }
    }
  }
  return { tried, failures, initRefusals };
}

/** Operations on a socket that was acknowledged while its session was valid, after `revoke()`. */
export async function wsAfterRevocation(server, fields, token, revoke, idFor) {
  const failures = [];
  const ws = await openSocket(server.wsUrl);
  try {
    const init = await ws.init({ Authorization: `Bearer ${token}` });
    if (init !== 'ack') throw new Error(`a valid token was refused at connection_init: ${JSON.stringify(init)}`);
    await revoke();
    for (const f of fields) {
      const res = await operationOn(ws, f.operation(() => idFor(f)));
      if (res.closed) {
        // A server may end the whole socket at revocation; then nothing runs on it.
        continue;
      }
      if (!refusedOnSocket(f, res)) {
        failures.push(`WS (acknowledged before revocation) ${f.name}: ${JSON.stringify({ errors: res.errors, data: res.data, open: res.open })}`);
      }
    }
  } finally {
    await ws.close();
  }
  return { tried: fields.length, failures };
}

export { overHttp, overWebSocket, operationOn };
