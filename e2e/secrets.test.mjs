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
//
// In development the notification channels are configured too, with secrets, against local
// stand-ins (a Bot API and a webhook receiver over HTTP, an SMTP listener that asks for a
// password): an URGENT order is delivered on all three and its "Take it" button is pressed.
// Then neither the bot token (it travels in the Bot API's URL path), nor the webhook's signing
// secret, nor the SMTP password (plain or as the base64 of AUTH PLAIN) may appear either.
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
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
        // The server registers the subscription a moment after it acknowledges the connection,
        // and nothing says when: repeat the trigger (bounded) until its event is heard.
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


/** Reads a request body as text. */
function bodyOf(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

function listen(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

/**
 * Stand-ins for the notification channels, each checking its secret was used: the Bot API
 * answers only under `/bot<token>/`, the webhook receiver records whether the body's HMAC
 * matches the secret, the SMTP listener accepts only `AUTH PLAIN` with the password.
 */
async function startStandIns({ botToken, chatId, smtpUser, smtpPassword, webhookSecret }) {
  const seen = { telegram: [], webhook: [], mails: [], auth: [], updates: [] };
  /** Long polls waiting for a button press. */
  const waiters = new Set();

  const telegram = createServer(async (req, res) => {
    const body = JSON.parse((await bodyOf(req)) || '{}');
    const reply = (result) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
    const prefix = `/bot${botToken}/`;
    if (!req.url.startsWith(prefix)) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false,"description":"Not Found"}');
      return;
    }
    const method = req.url.slice(prefix.length);
    seen.telegram.push({ method, body });
    if (method === 'sendMessage') reply({ message_id: seen.telegram.length, chat: { id: body.chat_id }, date: 0 });
    else if (method === 'getUpdates') {
      const offset = body.offset ?? 0;
      const pending = () => seen.updates.filter((u) => u.update_id >= offset);
      if (pending().length > 0) {
        reply(pending());
        return;
      }
      // A long poll, as the Bot API holds one: answered by the next button press, or empty once
      // the `timeout` the client asked for has run out.
      const waiter = () => {
        clearTimeout(expiry);
        waiters.delete(waiter);
        reply(pending());
      };
      const expiry = setTimeout(waiter, (body.timeout ?? 0) * 1000);
      waiters.add(waiter);
    } else reply(true);
  });

  const webhook = createServer(async (req, res) => {
    const body = await bodyOf(req);
    const timestamp = req.headers['x-order-desk-timestamp'];
    const expected = `sha256=${createHmac('sha256', webhookSecret).update(`${timestamp}.${body}`).digest('hex')}`;
    seen.webhook.push({ signed: req.headers['x-signature-256'] === expected, body: JSON.parse(body) });
    res.writeHead(204).end();
  });

  const expectedAuth = Buffer.from(`\0${smtpUser}\0${smtpPassword}`).toString('base64');
  const smtp = createTcpServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let data = null;
    socket.write('220 stand-in ESMTP\r\n');
    socket.on('data', (chunk) => {
      buffer += chunk;
      for (;;) {
        if (data !== null) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          data += buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          seen.mails.push(data);
          data = null;
          socket.write('250 queued\r\n');
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const line = buffer.slice(0, eol);
        buffer = buffer.slice(eol + 2);
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-stand-in\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
        else if (verb === 'AUTH') {
          const given = line.split(' ')[2] ?? '';
          seen.auth.push(given === expectedAuth);
          socket.write(given === expectedAuth ? '235 ok\r\n' : '535 no\r\n');
        } else if (verb === 'DATA') {
          data = '';
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') {
          socket.end('221 bye\r\n');
          return;
        } else socket.write('250 ok\r\n');
      }
    });
    socket.on('error', () => {});
  });

  const [telegramPort, webhookPort, smtpPort] = await Promise.all([listen(telegram), listen(webhook), listen(smtp)]);
  return {
    seen,
    env: {
      TELEGRAM_BOT_TOKEN: botToken,
      TELEGRAM_CHAT_ID: String(chatId),
      WEBHOOK_SECRET: webhookSecret,
      TELEGRAM_API_URL: `http://127.0.0.1:${telegramPort}`,
      TELEGRAM_POLL_TIMEOUT: '1s',
      WEBHOOK_URL: `http://127.0.0.1:${webhookPort}/hooks/desk`,
      SMTP_URL: `smtp://${smtpUser}:${smtpPassword}@127.0.0.1:${smtpPort}`,
      NOTIFY_EMAIL_TO: 'owner@example.com',
      NOTIFY_POLL_INTERVAL: '100ms',
      NOTIFY_LANG: 'en',
    },
    press(update) {
      seen.updates.push(update);
      for (const waiter of [...waiters]) waiter();
    },
    close() {
      for (const waiter of [...waiters]) waiter();
      for (const server of [telegram, webhook, smtp]) {
        server.closeAllConnections?.();
        server.close();
      }
    },
  };
}

/** Secrets of the notification channels, random each run. */
function notifySecrets() {
  const smtpPassword = `smtp-${randomBytes(10).toString('hex')}`;
  const botSecret = `AA${randomBytes(16).toString('base64url')}`;
  return {
    botToken: `${100000 + Math.floor(Math.random() * 900000)}:${botSecret}`,
    botSecret,
    webhookSecret: `whsec-${randomBytes(16).toString('hex')}`,
    smtpUser: 'desk',
    smtpPassword,
    chatId: -100123456,
  };
}

/**
 * An URGENT order reaches all three channels, and its "Take it" button is pressed (so the
 * poller and the answer and edit calls run too); the admin reads the channels.
 */
async function exerciseNotifications(api, standIns, n, token) {
  const order = await api.gql('mutation($input: ApplicationInput!) { submitApplication(input: $input) { id } }', {
    input: orderInput('notify', { budget: 'от 5 млн ₽', companySize: '500+', deadline: 'срочно' }),
  });
  const id = order.data?.submitApplication?.id;
  assert.ok(id, `order: ${JSON.stringify(order)}`);
  const { seen } = standIns;
  const sent = await until(
    () => seen.telegram.find((c) => c.method === 'sendMessage' && JSON.stringify(c.body).includes(id)),
    () => `no Telegram message for ${id}: ${JSON.stringify(seen.telegram.map((c) => c.method))}`,
  );
  await until(
    () => seen.webhook.find((w) => w.body.lead?.id === id),
    () => `no webhook call for ${id}: ${seen.webhook.length} calls`,
  );
  assert.ok(seen.webhook.find((w) => w.body.lead?.id === id).signed, 'the webhook body is signed with WEBHOOK_SECRET');
  await until(
    () => seen.mails.find((m) => m.replace(/=\r?\n/g, '').includes(id)),
    () => `no e-mail for ${id}: ${seen.mails.length} mails, auth ${JSON.stringify(seen.auth)}`,
  );
  assert.ok(seen.auth.length > 0 && seen.auth.every(Boolean), `SMTP AUTH with the password: ${JSON.stringify(seen.auth)}`);

  standIns.press({
    update_id: n,
    callback_query: {
      id: `cb${n}`,
      from: { id: 7, is_bot: false, first_name: 'Анна', username: 'anna_sales' },
      message: { message_id: 1, chat: { id: sent.body.chat_id, type: 'supergroup' }, date: 0 },
      chat_instance: '1',
      data: `take:${id}`,
    },
  });
  await until(
    () => seen.telegram.some((c) => c.method === 'editMessageText' && c.body.text?.includes('@anna_sales')),
    () => `the press was not handled: ${JSON.stringify(seen.telegram.map((c) => c.method))}`,
  );
  assert.ok(seen.telegram.some((c) => c.method === 'answerCallbackQuery' && c.body.callback_query_id === `cb${n}`));

  const channels = await api.gql('{ notificationChannels { channel configured target } }', {}, token);
  assert.deepEqual(
    channels.data?.notificationChannels?.map((c) => c.configured),
    [true, true, true],
    `channels: ${JSON.stringify(channels)}`,
  );
  const deliveries = await api.gql('{ notificationDeliveries(first: 50) { channel status lastError } }', {}, token);
  assert.ok(deliveries.data, `deliveries: ${JSON.stringify(deliveries)}`);
}

/** The channels' secrets, and the forms they would take in a log line. */
function notifyNever(n) {
  return [
    ['TELEGRAM_BOT_TOKEN', n.botToken],
    ['the bot token\u2019s secret part', n.botSecret],
    ['the bot token in a Bot API URL', `/bot${n.botToken}`],
    ['the bot token, URL-encoded', encodeURIComponent(n.botToken)],
    ['WEBHOOK_SECRET', n.webhookSecret],
    ['the SMTP password', n.smtpPassword],
    ['the SMTP credentials as sent (AUTH PLAIN)', Buffer.from(`\0${n.smtpUser}\0${n.smtpPassword}`).toString('base64')],
    ['the SMTP password as sent (AUTH LOGIN)', Buffer.from(n.smtpPassword).toString('base64')],
  ];
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
function assertNoSecrets({ logs, answers, secrets, jwtSecret, more = [] }) {
  const never = [
    ...more,
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

test('development, RUST_LOG=trace: no secret in logs or answers, notification channels included', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'order-desk-secrets-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const notify = notifySecrets();
  const standIns = await startStandIns(notify);
  t.after(() => standIns.close());
  const env = baseEnv({
    databaseUrl: `sqlite://${join(dir, 'secrets.db')}?mode=rwc`,
    env: { RUST_LOG: TRACE, ...standIns.env },
  });
  const server = await launch(env);
  t.after(() => server.kill());
  const answers = [];
  const secrets = newSecrets();
  const api = client(server, answers);
  await exercise(server, api, { email: OWNER, password: secrets.password }, secrets);
  await exerciseNotifications(api, standIns, 1, secrets.tokens.at(-1));
  const exit = await server.terminate();
  assert.deepEqual(exit, { code: 0, signal: null });

  const logs = `${server.logs()}\n${secrets.cliOutput.join('\n')}`;
  assertVerbose(server.logs());
  assertNoSecrets({ logs, answers, secrets, jwtSecret: env.JWT_SECRET, more: notifyNever(notify) });
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
