// Scale-out for real: two `server` processes on one PostgreSQL database, started at the same
// moment as `docker compose up --scale server=2` starts them. They migrate the fresh database
// once between them (an advisory lock), and subscriptions fan out across them through
// PostgreSQL LISTEN/NOTIFY: a client connected to one replica hears what the other did.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { registerAdmin, startServer } from './support/server.mjs';

const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const database = `order_desk_e2e_${randomUUID().replaceAll('-', '')}`;

function psql(sql) {
  const result = spawnSync('psql', [adminUrl, '-v', 'ON_ERROR_STOP=1', '-qc', sql], { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(`PostgreSQL is needed at ${adminUrl} (TEST_DATABASE_URL): ${result.stderr || result.error}`);
  }
}

let a;
let b;
let token;
const clients = [];

before(async () => {
  psql(`CREATE DATABASE ${database}`);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const env = { DATABASE_URL: url.toString() };
  [a, b] = await Promise.all([startServer({ production: true, env }), startServer({ production: true, env })]);
  token = await registerAdmin(a);
});

after(async () => {
  await Promise.all(clients.map((client) => client.dispose()));
  await a?.stop();
  await b?.stop();
  psql(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
});

/**
 * Subscribes on one replica. The server registers a subscription a moment after the client sends
 * it, and nothing says when: `until` repeats a change until its event arrives (the warm-up), and
 * from then on `after` makes one change and requires its event, no repeat.
 */
function subscribe(server, query, connectionParams = {}) {
  const client = createClient({
    url: `${server.url.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
  });
  clients.push(client);
  const received = [];
  const waiting = new Set();
  client.subscribe(
    { query },
    {
      next: (payload) => {
        received.push(payload);
        for (const wake of waiting) wake();
      },
      error: (err) => received.push({ errors: [err] }),
      complete: () => {},
    },
  );
  /** The first payload matching `predicate`, or undefined after `timeout` ms. */
  const arrival = (predicate, timeout) =>
    new Promise((resolve) => {
      // Cleared on a hit: a pending 15 s timer would hold the test file open after its end.
      let timer;
      const check = () => {
        const hit = received.find(predicate);
        if (hit) {
          waiting.delete(check);
          clearTimeout(timer);
          resolve(hit);
        }
      };
      timer = setTimeout(() => {
        waiting.delete(check);
        resolve(undefined);
      }, timeout);
      waiting.add(check);
      check();
    });
  return {
    received,
    /** Calls `act` (a change on the other replica) until a payload matches, at most 20 times. */
    async until(predicate, act) {
      for (let attempt = 0; attempt < 20; attempt += 1) {
        await act(attempt);
        const found = await arrival(predicate, 500);
        if (found) return found;
      }
      throw new Error(`no matching event: ${JSON.stringify(received)}`);
    },
    /** Once the subscription is live: calls `act` once; its event must arrive. */
    async after(predicate, act) {
      await act();
      const found = await arrival(predicate, 15_000);
      if (!found) throw new Error(`the event was lost: ${JSON.stringify(received)}`);
      return found;
    },
  };
}

test('both replicas started on the same fresh database (one migrated, the other waited)', async () => {
  for (const server of [a, b]) {
    const { data } = await server.gql('{ adminExists services { id } }');
    assert.deepEqual(data, { adminExists: true, services: [] });
  }
});

test('an order taken by one replica reaches a leadCreated subscriber on the other', async () => {
  const leads = subscribe(b, 'subscription { leadCreated { id email } }', { Authorization: `Bearer ${token}` });
  const submit = async (email) => {
    const body = await a.gql(
      'mutation($input: ApplicationInput!) { submitApplication(input: $input) { id } }',
      { input: { name: 'Анна', surname: 'Петрова', email, consent: true } },
    );
    assert.ok(body.data, JSON.stringify(body));
    return body.data.submitApplication.id;
  };
  const sent = [];
  const event = await leads.until(
    ({ data }) => data && sent.includes(data.leadCreated.id),
    async (attempt) => sent.push(await submit(`replica${attempt}@example.com`)),
  );
  assert.match(event.data.leadCreated.email, /^replica\d+@example\.com$/);
  // Live now: every order is heard, not one in many.
  for (const round of ['x', 'y', 'z']) {
    await leads.after(
      ({ data }) => data?.leadCreated.email === `replica-${round}@example.com`,
      () => submit(`replica-${round}@example.com`),
    );
  }
});

test('a service change on either replica reaches servicesChanged subscribers on the other', async () => {
  const create = (server, name) =>
    server.gql('mutation($input: ServiceInput!) { createService(input: $input) { id } }', { input: { name } }, token);
  const hasName = (prefix) => ({ data }) => data?.servicesChanged.some((s) => s.name.startsWith(prefix));

  const onB = subscribe(b, 'subscription { servicesChanged { name } }');
  await onB.until(hasName('From A'), (attempt) => create(a, `From A ${attempt}`));

  const onA = subscribe(a, 'subscription { servicesChanged { name } }');
  const heard = await onA.until(hasName('From B'), (attempt) => create(b, `From B ${attempt}`));
  const names = heard.data.servicesChanged.map((s) => s.name);
  assert.ok(names.some((n) => n.startsWith('From A')), `the full list, A's services included: ${names}`);
  // Live both ways now: each further change is heard on the other replica.
  await onA.after(hasName('Then B'), () => create(b, 'Then B'));
  await onB.after(hasName('Then A'), () => create(a, 'Then A'));
});
