// Faults under load, against the real server binary on a PostgreSQL cluster of the test's own
// (a throwaway cluster in a temporary folder: these tests stop and restart it, so they never
// touch the shared one):
//
// * PostgreSQL restarted while orders and tracker batches flow: requests fail with a JSON
//   INTERNAL error (healthz 503) instead of hanging, the server recovers by itself, and
//   everything it acknowledged is stored exactly once — aggregated statistics included.
// * SIGTERM under load: requests in flight finish, the buffered statistics are flushed, and the
//   process exits 0.
// * A slow database (statements cancelled by statement_timeout behind a lock): bounded JSON
//   INTERNAL errors, never a hang; the pool and the statistics flusher recover afterwards.
//
// "Hang" is a detector (no answer within 15 s), never a timing requirement; every wait is for a
// condition, bounded.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { psql, throwawayCluster } from './resilience/pg.mjs';
import { baseEnv, launch, until } from './resilience/server.mjs';
import {
  BATCH,
  ORDER,
  Visit,
  call,
  health,
  heldRequest,
  orderInput,
  startDriver,
  storedAggregates,
  storedOrders,
  totals,
  visitDifferences,
} from './resilience/traffic.mjs';

let cluster;

before(async () => {
  cluster = await throwawayCluster();
});

after(() => cluster?.destroy());

/** A production server on a fresh database of the throwaway cluster. */
async function serverOn(t, database, env = {}) {
  const databaseUrl = cluster.createDatabase(database);
  const server = await launch(baseEnv({ databaseUrl, production: true, env }));
  t.after(() => server.kill());
  return { server, databaseUrl };
}

/** What came back that is not a JSON answer: hangs, resets, HTML, empty bodies. */
function unanswered(outcomes) {
  return outcomes.filter((o) => !['data', 'error'].includes(o.kind));
}

function show(outcomes, limit = 5) {
  return JSON.stringify(
    outcomes.slice(0, limit).map(({ phase, request, kind, status, code, error, text }) => ({
      phase,
      request,
      kind,
      status,
      code,
      error,
      text: text?.slice(0, 300),
    })),
    null,
    1,
  );
}

/** Every GraphQL error is INTERNAL, JSON, and says nothing about the database. */
function assertBoundedErrors(outcomes) {
  for (const o of outcomes.filter((x) => x.kind === 'error')) {
    assert.equal(o.code, 'INTERNAL', `an error other than INTERNAL: ${show([o])}`);
    assert.match(o.contentType, /json/, `an error without a JSON content type: ${show([o])}`);
    assert.doesNotMatch(o.text, /pool|sqlx|postgres|connection|database|statement/i, `internal detail leaked: ${show([o])}`);
  }
}

/** Resends every visit's unacknowledged batch, unchanged, until it is acknowledged. */
async function resendPending(url, visits) {
  for (const visit of visits) {
    await until(
      async () => !visit.pending || (await visit.send(url)),
      () => `batch seq ${visit.seq} of visit ${visit.visitId} never acknowledged after the fault`,
      { every: 200 },
    );
  }
}

/** Orders: acknowledged ⊆ stored (same ids) ⊆ sent. */
function assertOrdersStored(databaseUrl, orders) {
  const stored = storedOrders(databaseUrl);
  const sent = new Set(orders.map((o) => o.email));
  const lost = orders.filter((o) => o.id && stored.get(o.email) !== o.id);
  assert.deepEqual(lost, [], 'acknowledged orders missing from the database (or stored under another id)');
  const unknown = [...stored.keys()].filter((email) => !sent.has(email));
  assert.deepEqual(unknown, [], 'orders stored that nobody sent');
  return { acknowledged: orders.filter((o) => o.id).length, stored: stored.size, sent: orders.length };
}

test('PostgreSQL restarted under load: JSON errors instead of hangs, recovery without help, nothing acknowledged lost or doubled', async (t) => {
  const { server, databaseUrl } = await serverOn(t, 'restart');
  const driver = startDriver(server.url, { orderWorkers: 2, batchWorkers: 6, pause: 20, batchesPerVisit: 15 });
  t.after(() => driver.stop());

  driver.phase = 'before';
  await until(
    () => driver.acked('order', 'before') >= 10 && driver.acked('batch', 'before') >= 40,
    () => `traffic never got going: ${JSON.stringify(driver.summary())}`,
  );

  driver.phase = 'outage';
  cluster.stop('fast');
  const healthDuringOutage = await until(
    async () => {
      const status = await health(server.url);
      return status !== 200 && status;
    },
    'healthz kept answering 200 with PostgreSQL stopped',
  );
  assert.equal(healthDuringOutage, 503, `healthz with PostgreSQL stopped: ${healthDuringOutage}`);
  const failed = (request) => driver.outcomes.some((o) => o.phase === 'outage' && o.request === request && o.kind !== 'data');
  await until(
    () => failed('order') && failed('batch'),
    () => `no order or batch failed while PostgreSQL was down: ${JSON.stringify(driver.summary('outage'))}`,
  );

  driver.phase = 'restart';
  cluster.start();
  await until(async () => (await health(server.url)) === 200, 'the server did not recover: healthz never answered 200 again');

  driver.phase = 'recovered';
  await until(
    () => driver.acked('order', 'recovered') >= 10 && driver.acked('batch', 'recovered') >= 40,
    () => `traffic did not flow again after the restart: ${JSON.stringify(driver.summary('recovered'))}`,
  );
  await driver.stop();
  // The tracker resends a batch that got no `true`, unchanged: each must apply exactly once.
  await resendPending(server.url, driver.visits);

  t.diagnostic(`outcomes by phase: ${JSON.stringify(Object.fromEntries(['before', 'outage', 'restart', 'recovered'].map((p) => [p, driver.summary(p)])))}`);
  assert.deepEqual(unanswered(driver.outcomes), [], `requests without a JSON answer: ${show(unanswered(driver.outcomes))}`);
  assertBoundedErrors(driver.outcomes);
  // Sent and answered while PostgreSQL was up (before the stop, or after healthz said 200):
  // no errors at all.
  const whileUp = driver.outcomes.filter(
    (o) => (o.phase === 'before' && o.endPhase === 'before') || o.phase === 'recovered',
  );
  const errorsWhileUp = whileUp.filter((o) => o.kind !== 'data');
  assert.deepEqual(errorsWhileUp, [], `errors while PostgreSQL was up: ${show(errorsWhileUp)}`);

  const orders = assertOrdersStored(databaseUrl, driver.orders);
  assert.deepEqual(visitDifferences(databaseUrl, driver.visits), [], 'visit rows differ from the acknowledged batches');
  const acknowledged = totals(driver.visits);
  // The flusher recovers by itself: what it held during the outage reaches the database
  // before any shutdown flush.
  await until(
    () => storedAggregates(databaseUrl).points === acknowledged.points,
    () => `heatmap never caught up after the restart: stored ${JSON.stringify(storedAggregates(databaseUrl))}, acknowledged ${JSON.stringify(acknowledged)}`,
  );
  const exit = await server.terminate();
  assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM:\n${server.logs().slice(-2000)}`);
  const stored = storedAggregates(databaseUrl);
  assert.deepEqual(
    stored,
    { points: acknowledged.points, clicks: acknowledged.clicks, engaged: acknowledged.engaged, visits: acknowledged.visits },
    'aggregated statistics differ from the acknowledged batches',
  );
  const errorMs = driver.outcomes.filter((o) => o.kind === 'error').map((o) => o.ms);
  t.diagnostic(
    `orders ${JSON.stringify(orders)}; batches ${JSON.stringify(acknowledged)}; ` +
      `errors answered after ${Math.min(...errorMs)}–${Math.max(...errorMs)} ms (the pool's acquire timeout)`,
  );
});

test('SIGTERM under load: requests in flight finish, buffered statistics are flushed, exit code 0', async (t) => {
  const { server, databaseUrl } = await serverOn(t, 'sigterm');
  const driver = startDriver(server.url, { orderWorkers: 3, batchWorkers: 10, pause: 0, batchesPerVisit: 10 });
  t.after(() => driver.stop());
  driver.phase = 'before';
  await until(
    () => driver.acked('order', 'before') >= 10 && driver.acked('batch', 'before') >= 50,
    () => `traffic never got going: ${JSON.stringify(driver.summary())}`,
  );

  // Requests the server is provably handling when the signal arrives: it asked for their body.
  const heldVisits = Array.from({ length: 4 }, () => new Visit());
  const heldOrders = Array.from({ length: 4 }, () => orderInput('held'));
  const held = await Promise.all([
    ...heldOrders.map((input) => heldRequest(server.url, { query: ORDER, variables: { input } })),
    ...heldVisits.map((visit) => heldRequest(server.url, { query: BATCH, variables: { input: visit.batch() } })),
  ]);

  driver.phase = 'signal';
  const exited = server.terminate();
  await until(() => server.logs().includes('shutting down'), () => `no "shutting down" after SIGTERM:\n${server.logs().slice(-2000)}`);
  driver.phase = 'draining';

  await t.test(
    'while it drains, a new connection is refused at once (not accepted and left unanswered)',
    async () => {
      await until(
        () =>
          new Promise((resolve) => {
            const socket = connect(server.port, '127.0.0.1');
            socket.once('connect', () => {
              socket.destroy();
              resolve(false);
            });
            socket.once('error', (err) => resolve(err.code === 'ECONNREFUSED'));
          }),
        'the server still accepts connections while draining: a request arriving now waits for the ' +
          'drain to end and is then reset, instead of being refused (so a proxy could retry elsewhere)',
        { timeout: 5_000, every: 100 },
      );
    },
  );

  const answers = await Promise.all(held.map((h) => h.release()));
  await driver.stop();
  const exit = await exited;
  assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM:\n${server.logs().slice(-2000)}`);

  answers.forEach((answer, i) => {
    assert.equal(answer.status, 200, `request in flight at SIGTERM #${i}: ${JSON.stringify(answer)}`);
    assert.ok(answer.json?.data && !answer.json.errors, `request in flight at SIGTERM #${i}: ${answer.text}`);
  });
  const heldOrderLedger = heldOrders.map((input, i) => ({ email: input.email, id: answers[i].json.data.submitApplication.id }));
  heldVisits.forEach((visit, i) => {
    assert.equal(answers[heldOrders.length + i].json.data.submitMetrics, true);
    visit.acknowledge();
  });

  // Requests sent before the signal on a keep-alive connection the server was about to close
  // may be reset (HTTP/1.1 cannot avoid it); they must then not have been applied either.
  const before = driver.outcomes.filter((o) => o.phase === 'before');
  assert.deepEqual(
    before.filter((o) => !['data', 'transport'].includes(o.kind)),
    [],
    `requests sent before the signal that neither succeeded nor were refused: ${show(before.filter((o) => !['data', 'transport'].includes(o.kind)))}`,
  );

  const orders = assertOrdersStored(databaseUrl, [...driver.orders, ...heldOrderLedger]);
  const visits = [...driver.visits, ...heldVisits];
  assert.deepEqual(visitDifferences(databaseUrl, visits), [], 'visit rows differ from the acknowledged batches');
  const acknowledged = totals(visits);
  assert.deepEqual(
    storedAggregates(databaseUrl),
    { points: acknowledged.points, clicks: acknowledged.clicks, engaged: acknowledged.engaged, visits: acknowledged.visits },
    'the statistics buffered at SIGTERM were not all flushed (points accepted ≠ heatmap total)',
  );
  t.diagnostic(
    `orders ${JSON.stringify(orders)}; batches ${JSON.stringify(acknowledged)}; ` +
      `outcomes ${JSON.stringify(Object.fromEntries(['before', 'signal', 'draining'].map((p) => [p, driver.summary(p)])))}`,
  );
});

test('a slow database (statement_timeout behind a lock): bounded JSON errors, then the pool and the flusher recover', async (t) => {
  // The server's own statement timeout (DATABASE_STATEMENT_TIMEOUT) is what bounds the wait.
  const { server, databaseUrl } = await serverOn(t, 'slow', { DATABASE_STATEMENT_TIMEOUT: '1s' });
  // Visits that exist before the slow phase (their later batches touch only `visits`).
  const visits = Array.from({ length: 8 }, () => new Visit());
  for (const visit of visits) assert.ok(await visit.send(server.url), 'a first batch before the slow phase');
  const firstInput = orderInput('slow-before');
  const first = await call(server.url, ORDER, { input: firstInput });
  assert.equal(first.kind, 'data', show([first]));
  const ordersSent = [{ email: firstInput.email, id: first.body.data.submitApplication.id }];

  // A transaction holds locks on the orders and on the heatmap, the way a stuck migration or a
  // long report would: the server's statements on them wait and are cancelled by its timeout.
  const holder = spawn('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-qAt'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let holderOutput = '';
  holder.stdout.on('data', (chunk) => (holderOutput += chunk));
  holder.stderr.on('data', (chunk) => (holderOutput += chunk));
  const holderDone = new Promise((resolve) => holder.once('close', resolve));
  t.after(() => holder.exitCode === null && holder.kill());
  holder.stdin.write('SET statement_timeout = 0;\nBEGIN;\nLOCK TABLE applications, heatmap_cell_log IN ACCESS EXCLUSIVE MODE;\n\\echo locked\n');
  await until(() => holderOutput.includes('locked'), () => `could not take the locks: ${holderOutput}`);

  const slow = [];
  for (let i = 0; i < 6; i += 1) {
    const input = orderInput('slow');
    ordersSent.push({ email: input.email });
    const outcome = await call(server.url, ORDER, { input });
    slow.push({ request: 'order', ...outcome });
    if (outcome.kind === 'data') ordersSent.at(-1).id = outcome.body.data.submitApplication.id;
  }
  // Batches keep being acknowledged (visit rows are not locked); their heatmap deltas cannot be
  // written while the heatmap log is locked, so the flusher fails and must keep them.
  let acknowledgedDuringLock = 0;
  await until(
    async () => {
      for (const visit of visits) {
        if (await visit.send(server.url, (o) => slow.push({ request: 'batch', ...o }))) acknowledgedDuringLock += 1;
      }
      return acknowledgedDuringLock >= 8;
    },
    () => `tracker batches were not acknowledged during the slow phase: ${show(slow.filter((o) => o.request === 'batch'))}`,
  );
  await until(
    () => server.logs().split('\n').some((line) => line.includes('metrics flush failed') && line.includes('statement timeout')),
    () => `the statistics flusher never hit the statement timeout:\n${server.logs().slice(-2000)}`,
  );

  assert.deepEqual(unanswered(slow), [], `requests without a JSON answer during the slow phase: ${show(unanswered(slow))}`);
  assertBoundedErrors(slow);
  const slowOrders = slow.filter((o) => o.request === 'order');
  assert.ok(
    slowOrders.every((o) => o.kind === 'error'),
    `orders succeeded although the orders table was locked: ${show(slowOrders)}`,
  );

  holder.stdin.end('COMMIT;\n');
  await holderDone;

  // The pool recovers: many orders at once (so many connections), all succeed.
  const recovered = await Promise.all(
    Array.from({ length: 30 }, async () => {
      const input = orderInput('slow-after');
      const order = { email: input.email };
      ordersSent.push(order);
      const outcome = await call(server.url, ORDER, { input });
      if (outcome.kind === 'data') order.id = outcome.body.data.submitApplication.id;
      return outcome;
    }),
  );
  const failedAfter = recovered.filter((o) => o.kind !== 'data');
  assert.deepEqual(failedAfter, [], `orders failed after the database was fast again: ${show(failedAfter)}`);
  for (const visit of visits) {
    assert.ok(await visit.send(server.url), 'a batch after the slow phase');
  }

  const acknowledged = totals(visits);
  // The flusher kept what it could not write and writes it now, without a restart.
  await until(
    () => storedAggregates(databaseUrl).points === acknowledged.points,
    () => `heatmap never caught up after the slow phase: stored ${JSON.stringify(storedAggregates(databaseUrl))}, acknowledged ${JSON.stringify(acknowledged)}`,
  );
  const exit = await server.terminate();
  assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM:\n${server.logs().slice(-2000)}`);

  const orders = assertOrdersStored(databaseUrl, ordersSent);
  assert.equal(orders.stored, 1 + recovered.length, 'orders stored: the first, none while locked, all after');
  assert.deepEqual(visitDifferences(databaseUrl, visits), [], 'visit rows differ from the acknowledged batches');
  assert.deepEqual(
    storedAggregates(databaseUrl),
    { points: acknowledged.points, clicks: acknowledged.clicks, engaged: acknowledged.engaged, visits: acknowledged.visits },
    'aggregated statistics differ from the acknowledged batches',
  );
  t.diagnostic(`slow phase: ${slowOrders.length} orders → INTERNAL, ${acknowledgedDuringLock} batches acknowledged; after: ${recovered.length} orders stored`);
});
