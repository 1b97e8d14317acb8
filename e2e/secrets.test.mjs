// No secret in any log line at any level, nor in any answer that has no business carrying it.
// The real server runs with RUST_LOG=trace, in development (SQLite, text logs) and in
// production (PostgreSQL, JSON logs); everything it prints on stdout and stderr is kept, and so
// is every HTTP and WebSocket answer. Exercised: first-run registration (with the production
// setup code), sign-in, a wrong password, a forged token, requests with `Authorization`, a CSV
// export, a WebSocket subscription authenticated in `connection_init`, and the CLI
// (create-admin, set-password, revoke-sessions). Then none of these may appear:
// JWT_SECRET, any password (right or wrong), any bearer token (outside the answer that issued
// it), any argon2 hash, and the setup code once it was used (it is printed once at start while
// no admin exists; a restart after registration must not print it).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { sharedDatabase } from './resilience/pg.mjs';
import { baseEnv, cli, launch, until } from './resilience/server.mjs';
import { orderInput } from './resilience/traffic.mjs';

const TRACE = 'trace';
const OWNER = 'owner@example.com';
const SECOND = 'second@example.com';

/** Passwords of letters, digits and spaces only: they look the same in text, JSON and Debug. */
const password = (word) => `${word} ${randomBytes(6).toString('hex')} Velvet Quarry`;

/**
 * Talks to one server and keeps every answer body (HTTP and WebSocket) with what produced it.
 */
function client(server, answers) {
  async function request(path, { method = 'GET', body, token, headers = {} } = {}) {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await response.text();
    answers.push({ what: `${method} ${path} ${body?.query?.slice(0, 120) ?? ''}`, text });
    return { status: response.status, text };
  }
  async function gql(query, variables = {}, token) {
    const { text } = await request('/graphql', { method: 'POST', body: { query, variables }, token });
    return JSON.parse(text);
  }
  /** A WebSocket subscription authenticated in connection_init; resolves with the first event. */
  function subscribeOnce(query, token, trigger) {
    class RecordingWebSocket extends WebSocket {
      constructor(...args) {
        super(...args);
        this.on('message', (data) => answers.push({ what: `ws ${query.slice(0, 40)}`, text: String(data) }));
      }
    }
    const ws = createClient({
      url: `${server.url.replace(/^http/, 'ws')}/graphql`,
      webSocketImpl: RecordingWebSocket,
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
    });
    return new Promise((resolve, reject) => {
      let connected = false;
      let done = false;
      const fail = (err) => {
        if (done) return;
        done = true;
        ws.dispose();
        reject(err);
      };
      ws.on('connected', async () => {
        connected = true;
        // The subscription is registered once the server acknowledged the connection; give
        // the trigger a few tries in case the event raced the subscription.
        try {
          for (let i = 0; i < 20 && !done; i += 1) {
            await trigger();
            await until(() => done, 'no event yet', { timeout: 500 }).catch(() => {});
          }
        } catch (err) {
          fail(err);
        }
        fail(new Error('no event on the subscription after 20 tries'));
      });
      ws.subscribe(
        { query },
        {
          next: (value) => {
            if (done) return;
            done = true;
            ws.dispose();
            resolve(value);
          },
          error: (err) => fail(new Error(`subscription failed (connected: ${connected}): ${JSON.stringify(err?.message ?? err)}`)),
          complete: () => fail(new Error('subscription completed without an event')),
        },
      );
    });
  }
  return { request, gql, subscribeOnce };
}

const AUTH = 'token expiresAt admin { email }';

/** Every way a client or an operator hands the server a secret, as one admin would. */
async function exercise(server, api, { email, password: pass, setupCode }, secrets) {
  const register = await api.gql(
    `mutation($e: String!, $p: String!, $c: String) { registerAdmin(email: $e, password: $p, setupCode: $c) { ${AUTH} } }`,
    { e: email, p: pass, c: setupCode },
  );
  assert.ok(register.data, `registerAdmin: ${JSON.stringify(register)}`);
  secrets.tokens.push(register.data.registerAdmin.token);

  const login = await api.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ${AUTH} } }`, {
    e: email.toUpperCase(),
    p: pass,
  });
  assert.ok(login.data, `login: ${JSON.stringify(login)}`);
  const token = login.data.login.token;
  secrets.tokens.push(token);

  const wrong = await api.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
    e: email,
    p: secrets.wrongPassword,
  });
  assert.equal(wrong.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', `wrong password: ${JSON.stringify(wrong)}`);

  const me = await api.gql('{ me { email } }', {}, token);
  assert.equal(me.data?.me?.email, email, `me: ${JSON.stringify(me)}`);
  // A forged token (right header and claims, someone else's signature) is refused.
  const [head, claims] = token.split('.');
  const forged = `${head}.${claims}.${randomBytes(32).toString('base64url')}`;
  secrets.tokens.push(forged);
  const refused = await api.gql('{ me { email } }', {}, forged);
  assert.equal(refused.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', `forged token: ${JSON.stringify(refused)}`);

  const csv = await api.request('/export/leads.csv', { token });
  assert.equal(csv.status, 200, `CSV export: ${csv.text.slice(0, 200)}`);

  const event = await api.subscribeOnce('subscription { leadCreated { id email } }', token, async () => {
    const order = await api.gql('mutation($input: ApplicationInput!) { submitApplication(input: $input) { id } }', {
      input: orderInput('secrets'),
    });
    assert.ok(order.data, `order: ${JSON.stringify(order)}`);
  });
  assert.match(event.data?.leadCreated?.email ?? '', /^secrets-/, `leadCreated: ${JSON.stringify(event)}`);

  // The operator's commands, with the same logging.
  const created = cli(['create-admin', '--email', SECOND], { ...server.env, ADMIN_PASSWORD: secrets.secondPassword });
  assert.equal(created.status, 0, created.output);
  const changed = cli(['set-password', '--email', email], { ...server.env, ADMIN_PASSWORD: secrets.newPassword });
  assert.equal(changed.status, 0, changed.output);
  const revoked = cli(['revoke-sessions'], server.env);
  assert.equal(revoked.status, 0, revoked.output);
  secrets.cliOutput.push(created.output, changed.output, revoked.output);

  // The old password no longer works, the new one does.
  const again = await api.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ${AUTH} } }`, {
    e: email,
    p: secrets.newPassword,
  });
  assert.ok(again.data, `login with the new password: ${JSON.stringify(again)}`);
  secrets.tokens.push(again.data.login.token);
  const stale = await api.gql('{ me { email } }', {}, token);
  assert.equal(stale.errors?.[0]?.extensions?.code, 'UNAUTHENTICATED', `a token of before set-password: ${JSON.stringify(stale)}`);
}

/** Lines of `text` that contain `needle` (case-insensitively), shortened for the message. */
function linesWith(text, needle) {
  const lower = needle.toLowerCase();
  return text
    .split('\n')
    .filter((line) => line.toLowerCase().includes(lower))
    .map((line) => line.slice(0, 400));
}

/** No secret in the logs; none in the answers either, except tokens in the sign-ins that issued them. */
function assertNoSecrets({ logs, answers, secrets, jwtSecret }) {
  const never = [
    ['JWT_SECRET', jwtSecret],
    ['the password', secrets.password],
    ['the new password', secrets.newPassword],
    ['the second admin password', secrets.secondPassword],
    ['the wrong password', secrets.wrongPassword],
    ['an argon2 hash', '$argon2'],
  ];
  for (const [name, value] of never) {
    assert.deepEqual(linesWith(logs, value), [], `${name} appears in the logs`);
    for (const answer of answers) {
      assert.ok(!answer.text.toLowerCase().includes(value.toLowerCase()), `${name} appears in the answer to ${answer.what}: ${answer.text.slice(0, 300)}`);
    }
  }
  for (const token of secrets.tokens) {
    const signature = token.split('.')[2];
    for (const piece of [token, signature]) {
      assert.deepEqual(linesWith(logs, piece), [], 'a bearer token (or its signature) appears in the logs');
    }
    const carriers = answers.filter((a) => a.text.includes(signature));
    assert.ok(
      carriers.every((a) => /registerAdmin|login/.test(a.what) && JSON.parse(a.text).data),
      `a token appears in answers other than the one that issued it: ${carriers.map((a) => a.what).join('; ')}`,
    );
  }
}

/** The logs really were verbose: the test means nothing if trace output is off. */
function assertVerbose(logs) {
  const verbose = logs.split('\n').filter((line) => /\b(TRACE|DEBUG)\b/.test(line));
  assert.ok(verbose.length >= 5, `RUST_LOG=trace printed only ${verbose.length} DEBUG/TRACE lines:\n${logs.slice(-3000)}`);
}

function newSecrets() {
  return {
    password: password('Lantern'),
    newPassword: password('Orchard'),
    secondPassword: password('Meadow'),
    wrongPassword: password('Harbour'),
    tokens: [],
    cliOutput: [],
  };
}

const cleanups = [];
after(() => {
  for (const cleanup of cleanups.reverse()) cleanup();
});

test('development, RUST_LOG=trace: no secret in logs or answers', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'order-desk-secrets-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const env = baseEnv({ databaseUrl: `sqlite://${join(dir, 'secrets.db')}?mode=rwc`, env: { RUST_LOG: TRACE } });
  const server = await launch(env);
  t.after(() => server.kill());
  const answers = [];
  const secrets = newSecrets();
  await exercise(server, client(server, answers), { email: OWNER, password: secrets.password }, secrets);
  const exit = await server.terminate();
  assert.deepEqual(exit, { code: 0, signal: null });

  const logs = `${server.logs()}\n${secrets.cliOutput.join('\n')}`;
  assertVerbose(server.logs());
  assertNoSecrets({ logs, answers, secrets, jwtSecret: env.JWT_SECRET });
  t.diagnostic(`${logs.split('\n').length} log lines, ${answers.length} answers, ${secrets.tokens.length} tokens checked`);
});

test('production, RUST_LOG=trace: no secret in logs or answers; the setup code is printed once, never after registration', async (t) => {
  const database = sharedDatabase('order_desk_secrets');
  cleanups.push(() => database.drop());
  const env = baseEnv({ databaseUrl: database.url, production: true, env: { RUST_LOG: TRACE } });
  const first = await launch(env);
  t.after(() => first.kill());

  const setupCode = await until(
    () => setupCodeIn(first.logs()),
    () => `no setup_code in the production log while no admin exists:\n${first.logs().slice(-3000)}`,
  );
  const answers = [];
  const secrets = newSecrets();
  const api = client(first, answers);
  const required = await api.gql('{ setupCodeRequired }');
  assert.equal(required.data?.setupCodeRequired, true);
  await exercise(first, api, { email: OWNER, password: secrets.password, setupCode }, secrets);
  assert.equal((await api.gql('{ setupCodeRequired }')).data?.setupCodeRequired, false);
  assert.deepEqual(await first.terminate(), { code: 0, signal: null });

  // Restarted with an admin: the code is not printed again.
  const second = await launch(env);
  t.after(() => second.kill());
  const api2 = client(second, answers);
  // Serving starts after the start-up announcements: one answer and they are all printed.
  const login = await api2.gql(`mutation($e: String!, $p: String!) { login(email: $e, password: $p) { ${AUTH} } }`, {
    e: OWNER,
    p: secrets.newPassword,
  });
  assert.ok(login.data, `login after the restart: ${JSON.stringify(login)}`);
  secrets.tokens.push(login.data.login.token);
  assert.equal((await api2.gql('{ me { email } }', {}, login.data.login.token)).data?.me?.email, OWNER);
  assert.deepEqual(await second.terminate(), { code: 0, signal: null });

  // The code: exactly one line of the first run (the start-up announcement), typed any way.
  const variants = [setupCode, setupCode.replaceAll('-', '')];
  const firstRun = variants.flatMap((v) => linesWith(first.logs(), v));
  assert.equal(firstRun.length, 1, `the setup code should appear once (at start), found:\n${firstRun.join('\n')}`);
  assert.match(firstRun[0], /setup_code/, 'the one line with the code is the announcement');
  for (const v of variants) {
    assert.deepEqual(linesWith(second.logs(), v), [], 'the setup code is printed again after registration');
    assert.deepEqual(linesWith(secrets.cliOutput.join('\n'), v), [], 'the setup code in CLI output');
    for (const answer of answers) assert.ok(!answer.text.toLowerCase().includes(v.toLowerCase()), `the setup code in the answer to ${answer.what}`);
  }

  const logs = `${first.logs()}\n${second.logs()}\n${secrets.cliOutput.join('\n')}`;
  assertVerbose(first.logs());
  assertNoSecrets({ logs, answers, secrets, jwtSecret: env.JWT_SECRET });
  t.diagnostic(`${logs.split('\n').length} log lines, ${answers.length} answers, ${secrets.tokens.length} tokens checked`);
});

/** The setup code from a production (JSON) log line with a `setup_code` field. */
function setupCodeIn(logs) {
  for (const line of logs.split('\n')) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line);
      const code = (entry.fields ?? entry).setup_code;
      if (typeof code === 'string') return code;
    } catch {
      // not a log entry
    }
  }
  return null;
}
