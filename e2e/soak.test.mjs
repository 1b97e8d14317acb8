// Soak: a few hundred visitors on the public page at once, each tracker sending a batch about
// once a second (20 cursor points, a click, an engaged second), some of them returning, and a
// trickle of orders linked to their visits — for about two minutes against the real server on
// PostgreSQL (a fresh database on the shared cluster). Then a graceful stop, and the books must
// balance: zero errors, every order stored, every visit holding exactly what was acknowledged,
// and the heatmap total equal to the points accepted. The figures are printed for the README.
//
// SOAK_SECONDS (default 120) and SOAK_VISITS (default 300) change the size; SERVER_BIN picks a
// release build.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sharedDatabase } from './resilience/pg.mjs';
import { baseEnv, launch, serverBinary } from './resilience/server.mjs';
import {
  ORDER,
  Visit,
  call,
  orderInput,
  storedAggregates,
  storedOrders,
  totals,
  visitDifferences,
} from './resilience/traffic.mjs';

const SECONDS = Number(process.env.SOAK_SECONDS ?? 120);
const VISITS = Number(process.env.SOAK_VISITS ?? 300);
/** Batches per visit: a page stays open 20 to 60 seconds, then the slot opens a new one. */
const LIFE = [20, 60];
const RETURNING = 0.3;
const ORDER_EVERY_MS = 2_000;
/** However slow the server gets, the test sends no more than this. */
const MAX_REQUESTS = VISITS * SECONDS * 2;

const database = sharedDatabase('order_desk_soak');
after(() => database.drop());

const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));
const mib = (kib) => (kib === undefined ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`);

function percentile(sorted, p) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] : 0;
}

test(`soak: ${VISITS} visitors at once for ${SECONDS} s — zero errors, nothing lost`, { timeout: (SECONDS + 120) * 1000 }, async (t) => {
  const server = await launch(baseEnv({ databaseUrl: database.url, production: true }));
  t.after(() => server.kill());
  const rssStart = server.rssKiB();
  const cpuStart = server.cpuSeconds();

  const visits = [];
  const orders = [];
  const latencies = [];
  const failures = [];
  let requests = 0;
  let running = true;
  const record = (outcome) => {
    requests += 1;
    latencies.push(outcome.ms);
    if (outcome.kind !== 'data') failures.push(outcome);
  };
  const recordBatch = (outcome) => {
    record(outcome);
    if (outcome.kind === 'data' && outcome.body.data?.submitMetrics !== true) failures.push({ kind: 'not-true', text: outcome.text });
  };
  const busy = () => running && requests < MAX_REQUESTS;

  // One page open at a time per slot; a closed page is followed by a new visit (sometimes of
  // a returning visitor).
  async function slot(index) {
    await sleep((index * 1000) / VISITS); // spread over the first second
    while (busy()) {
      const returning = visits.length > 0 && Math.random() < RETURNING;
      const visitorId = returning ? visits[Math.floor(Math.random() * visits.length)].visitorId : undefined;
      const visit = new Visit({ points: 20, clicks: 1, engaged: 1, visitorId });
      visits.push(visit);
      const life = LIFE[0] + Math.floor(Math.random() * (LIFE[1] - LIFE[0]));
      while (busy() && visit.acked.batches < life) {
        const started = Date.now();
        await visit.send(server.url, recordBatch);
        await sleep(1000 - (Date.now() - started) + Math.floor(Math.random() * 100) - 50);
      }
    }
  }

  async function orderTrickle() {
    while (busy()) {
      await sleep(ORDER_EVERY_MS);
      const visit = visits.find((v) => !v.ordered && v.acked.batches > 0 && v.pending === null);
      if (visit) visit.ordered = true;
      const input = orderInput('soak', visit ? { visitId: visit.visitId } : {});
      const order = { email: input.email };
      orders.push(order);
      const outcome = await call(server.url, ORDER, { input });
      record(outcome);
      if (outcome.kind === 'data') order.id = outcome.body.data.submitApplication.id;
    }
  }

  const started = Date.now();
  const loops = [...Array.from({ length: VISITS }, (_, i) => slot(i)), orderTrickle()];
  const stop = setTimeout(() => (running = false), SECONDS * 1000);
  t.after(() => {
    clearTimeout(stop);
    running = false;
  });
  await Promise.all(loops);
  const elapsed = (Date.now() - started) / 1000;
  const rssEnd = server.rssKiB();
  const rssPeak = server.peakRssKiB();
  const cpu = server.cpuSeconds() - cpuStart;

  const exit = await server.terminate();
  assert.deepEqual(exit, { code: 0, signal: null }, `exit after SIGTERM:\n${server.logs().slice(-2000)}`);

  const sent = totals(visits);
  const stored = storedAggregates(database.url);
  const storedOrderIds = storedOrders(database.url);
  latencies.sort((a, b) => a - b);
  const figures = {
    server: serverBinary.includes('/release/') ? 'release' : 'debug',
    seconds: Math.round(elapsed),
    visitsAtOnce: VISITS,
    visits: visits.length,
    requests,
    requestsPerSecond: Math.round(requests / elapsed),
    errors: failures.length,
    latencyMs: { p50: percentile(latencies, 50), p95: percentile(latencies, 95), p99: percentile(latencies, 99), max: latencies.at(-1) },
    rss: { start: mib(rssStart), end: mib(rssEnd), peak: mib(rssPeak) },
    serverCpuMsPerRequest: Number(((cpu * 1000) / requests).toFixed(2)),
    batches: sent.batches,
    pointsAccepted: sent.points,
    heatmapTotal: stored.points,
    ordersSent: orders.length,
    ordersStored: storedOrderIds.size,
  };
  t.diagnostic(`soak figures: ${JSON.stringify(figures)}`);

  assert.deepEqual(
    failures.slice(0, 5).map(({ kind, status, code, error, text }) => ({ kind, status, code, error, text: text?.slice(0, 300) })),
    [],
    `${failures.length} of ${requests} requests failed`,
  );
  assert.ok(sent.batches >= VISITS * 10, `too little traffic to call it a soak: ${sent.batches} batches`);
  const lost = orders.filter((o) => storedOrderIds.get(o.email) !== o.id);
  assert.deepEqual(lost, [], 'orders acknowledged but not stored (or stored under another id)');
  assert.equal(storedOrderIds.size, orders.length, 'orders sent = orders stored');
  assert.deepEqual(visitDifferences(database.url, visits), [], 'visit rows differ from the acknowledged batches');
  assert.deepEqual(
    stored,
    { points: sent.points, clicks: sent.clicks, engaged: sent.engaged, visits: sent.visits },
    'aggregated statistics differ from what was accepted (points accepted ≠ heatmap total?)',
  );
});
