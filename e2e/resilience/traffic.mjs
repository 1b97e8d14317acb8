// Load the way the public page makes it — orders and tracker batches — with a ledger of what
// the server acknowledged, and the checks that the database holds exactly that.
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { queryRows } from './pg.mjs';

export const ORDER = 'mutation($input: ApplicationInput!) { submitApplication(input: $input) { id } }';
export const BATCH = 'mutation($input: MetricsBatchInput!) { submitMetrics(input: $input) }';
/** A request still unanswered after this is a hang (a detector, not a timing requirement). */
export const HANG = 15_000;

/**
 * Keep-alive connections, closed after 4 s idle (before the server's own idle timeout of 10 s
 * could close one under a request). node:http costs the client half the CPU of fetch, which
 * leaves more of a small machine to the server under test.
 */
const agent = new http.Agent({ keepAlive: true, timeout: 4_000 });

/**
 * One POST /graphql. Never throws; the outcome says what came back:
 * `data` (no errors), `error` (a JSON GraphQL error; `code` is its extensions.code), `not-json`
 * (a body that is not a GraphQL JSON answer), `transport` (no HTTP answer: refused, reset),
 * `hang` (nothing within HANG ms).
 */
export async function call(url, query, variables = {}, { token, timeout = HANG, headers = {} } = {}) {
  const started = Date.now();
  const payload = Buffer.from(JSON.stringify({ query, variables }));
  const signal = AbortSignal.timeout(timeout);
  const answer = await new Promise((resolve) => {
    const request = http.request(`${url}/graphql`, {
      method: 'POST',
      agent,
      signal,
      headers: {
        'content-type': 'application/json',
        'content-length': payload.length,
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
    });
    const failed = (err) => resolve({ error: err, status: undefined });
    request.on('error', failed);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode, headers: response.headers, text }));
      response.on('error', (err) => resolve({ error: err, status: response.statusCode }));
      response.on('aborted', () => resolve({ error: new Error('response aborted'), status: response.statusCode }));
    });
    request.end(payload);
  });
  const ms = Date.now() - started;
  if (answer.error) {
    const hang = signal.aborted;
    return { kind: hang ? 'hang' : 'transport', status: answer.status, error: describe(answer.error), ms };
  }
  const { status, text } = answer;
  const contentType = answer.headers['content-type'] ?? '';
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    return { kind: 'not-json', status, contentType, text, ms };
  }
  if (typeof body !== 'object' || body === null || (!('data' in body) && !('errors' in body))) {
    return { kind: 'not-json', status, contentType, text, ms };
  }
  if (Array.isArray(body.errors) && body.errors.length > 0) {
    return { kind: 'error', status, contentType, body, text, code: body.errors[0].extensions?.code, ms };
  }
  return { kind: 'data', status, contentType, body, text, ms };
}

/** GET /healthz: the status, or `transport` / `hang`. */
export async function health(url, timeout = HANG) {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeout) });
    await response.arrayBuffer();
    return response.status;
  } catch (err) {
    return err.name === 'TimeoutError' ? 'hang' : 'transport';
  }
}

function describe(err) {
  const cause = err.cause ? ` (${err.cause.code ?? ''} ${err.cause.message ?? err.cause})` : '';
  return `${err.code ?? err.name}: ${err.message}${cause}`;
}

const ELEMENTS = ['order-button', 'service-card', 'phone-link', 'faq-toggle'];
let emailCounter = 0;

/** An order as the form sends it (honeypot left out). */
export function orderInput(tag, extra = {}) {
  emailCounter += 1;
  return {
    name: 'Анна',
    surname: 'Петрова',
    email: `${tag}-${process.pid}-${emailCounter}-${randomUUID().slice(0, 8)}@example.com`,
    businessInfo: 'Кофейня, 3 точки',
    budget: '300 000 ₽',
    consent: true,
    ...extra,
  };
}

/**
 * A page load of the tracker: batches seq 1, 2, 3…; a batch that got no `true` is resent
 * unchanged (same seq, same content), as the tracker does. What was acknowledged is summed.
 */
export class Visit {
  constructor({ points = 20, clicks = 1, engaged = 1, visitorId = randomUUID() } = {}) {
    this.visitorId = visitorId;
    this.visitId = randomUUID();
    this.shape = { points, clicks, engaged };
    this.seq = 0;
    this.pending = null;
    this.acked = { batches: 0, engaged: 0, points: 0, clicks: {} };
  }

  /** The batch to send: the unacknowledged one again, else the next. */
  batch() {
    if (!this.pending) {
      this.seq += 1;
      const { points, clicks, engaged } = this.shape;
      this.pending = {
        visitorId: this.visitorId,
        visitId: this.visitId,
        seq: this.seq,
        page: '/',
        viewportWidth: 1280,
        viewportHeight: 800,
        engagedSeconds: engaged,
        clicks: clicks ? [{ element: ELEMENTS[this.seq % ELEMENTS.length], count: clicks }] : [],
        points: Array.from({ length: points }, () => ({
          x: Math.floor(Math.random() * 990) / 1000,
          y: Math.floor(Math.random() * 3000),
        })),
      };
    }
    return this.pending;
  }

  /** The server answered `true` for the pending batch. */
  acknowledge() {
    const batch = this.pending;
    this.pending = null;
    this.acked.batches += 1;
    this.acked.engaged += batch.engagedSeconds;
    this.acked.points += batch.points.length;
    for (const { element, count } of batch.clicks) {
      this.acked.clicks[element] = (this.acked.clicks[element] ?? 0) + count;
    }
  }

  /** Sends the batch to send now; true when acknowledged. */
  async send(url, record = () => {}) {
    const outcome = await call(url, BATCH, { input: this.batch() });
    record(outcome);
    if (outcome.kind === 'data' && outcome.body.data?.submitMetrics === true) {
      this.acknowledge();
      return true;
    }
    return false;
  }
}

/** Sums of what the server acknowledged over many visits. */
export function totals(visits) {
  const sum = { visits: 0, batches: 0, engaged: 0, points: 0, clicks: 0 };
  for (const visit of visits) {
    if (visit.acked.batches > 0) sum.visits += 1;
    sum.batches += visit.acked.batches;
    sum.engaged += visit.acked.engaged;
    sum.points += visit.acked.points;
    sum.clicks += Object.values(visit.acked.clicks).reduce((a, b) => a + b, 0);
  }
  return sum;
}

/**
 * Every acknowledged batch applied exactly once: each visit row holds the sums of its
 * acknowledged batches (engaged seconds, clicks per element, cursor points), and no row exists
 * for a visit with none. Returns the list of differences (empty when all is well).
 */
export function visitDifferences(databaseUrl, visits) {
  const rows = new Map(
    queryRows(databaseUrl, 'SELECT id::text AS id, engaged_seconds, clicks, points, last_seq FROM visits').map((r) => [r.id, r]),
  );
  const differences = [];
  for (const visit of visits) {
    const row = rows.get(visit.visitId);
    rows.delete(visit.visitId);
    const want = visit.acked;
    if (!row) {
      if (want.batches > 0) differences.push(`visit ${visit.visitId}: ${want.batches} acknowledged batches, no row`);
      continue;
    }
    // A jsonb column arrives as an object, a text one as its JSON.
    const clicks = typeof row.clicks === 'string' ? JSON.parse(row.clicks) : row.clicks;
    const got = { engaged: row.engaged_seconds, points: Number(row.points), clicks };
    const same =
      got.engaged === want.engaged &&
      got.points === want.points &&
      JSON.stringify(sortKeys(got.clicks)) === JSON.stringify(sortKeys(want.clicks));
    if (!same) {
      differences.push(
        `visit ${visit.visitId} (${want.batches} acknowledged batches, seq ${visit.seq}): ` +
          `acknowledged ${JSON.stringify({ engaged: want.engaged, points: want.points, clicks: want.clicks })}, ` +
          `stored ${JSON.stringify(got)} (last_seq ${row.last_seq})`,
      );
    }
  }
  for (const id of rows.keys()) differences.push(`visit ${id}: stored, but never sent by this test`);
  return differences;
}

function sortKeys(object) {
  return Object.fromEntries(Object.entries(object).sort(([a], [b]) => a.localeCompare(b)));
}

/** The aggregated statistics as stored (what the flusher wrote). */
export function storedAggregates(databaseUrl) {
  const [row] = queryRows(
    databaseUrl,
    `SELECT ((SELECT coalesce(sum(n), 0) FROM heatmap_rows, unnest(counts) AS n)
             + (SELECT coalesce(sum(n), 0) FROM heatmap_cell_log, unnest(counts) AS n))::bigint AS points,
            (SELECT coalesce(sum(count), 0) FROM click_daily)::bigint AS clicks,
            (SELECT coalesce(sum(engaged_seconds), 0) FROM visit_daily)::bigint AS engaged,
            (SELECT coalesce(sum(visits), 0) FROM visit_daily)::bigint AS visits`,
  );
  return { points: Number(row.points), clicks: Number(row.clicks), engaged: Number(row.engaged), visits: Number(row.visits) };
}

/** The ids of the stored orders, by e-mail. */
export function storedOrders(databaseUrl) {
  return new Map(queryRows(databaseUrl, 'SELECT email, id::text AS id FROM applications').map((r) => [r.email, r.id]));
}

/**
 * Orders and batches from `orderWorkers` + `batchWorkers` loops until `stop()`; each loop
 * sends one request at a time and pauses `pause` ms between them. Every outcome is recorded
 * with the driver's current `phase`. A batch worker moves to a new visit after
 * `batchesPerVisit` acknowledged batches.
 */
export function startDriver(
  url,
  { orderWorkers = 2, batchWorkers = 6, pause = 20, batchesPerVisit = 15, visitShape, maxRequests = 20_000 } = {},
) {
  const driver = {
    phase: 'start',
    outcomes: [],
    visits: [],
    orders: [], // { email, id? }
    running: true,
    loops: [],
  };
  // An outcome belongs to the phase its request started in (`phase`); `endPhase` is the one
  // it was answered in.
  const record = (request) => {
    const phase = driver.phase;
    return (outcome) => driver.outcomes.push({ phase, endPhase: driver.phase, request, ...outcome });
  };
  const sleep = () => new Promise((r) => setTimeout(r, pause));

  for (let i = 0; i < orderWorkers; i += 1) {
    driver.loops.push(
      (async () => {
        while (driver.running && driver.outcomes.length < maxRequests) {
          const input = orderInput('fault');
          const order = { email: input.email };
          driver.orders.push(order);
          const done = record('order');
          const outcome = await call(url, ORDER, { input });
          done(outcome);
          if (outcome.kind === 'data') order.id = outcome.body.data.submitApplication.id;
          await sleep();
        }
      })(),
    );
  }
  for (let i = 0; i < batchWorkers; i += 1) {
    driver.loops.push(
      (async () => {
        let visit = null;
        while (driver.running && driver.outcomes.length < maxRequests) {
          if (!visit || (!visit.pending && visit.acked.batches >= batchesPerVisit)) {
            visit = new Visit(visitShape);
            driver.visits.push(visit);
          }
          await visit.send(url, record('batch'));
          await sleep();
        }
      })(),
    );
  }

  /** Requests of `request` kind (order/batch) started in `phase` that were acknowledged. */
  driver.acked = (request, phase) =>
    driver.outcomes.filter((o) => o.request === request && o.kind === 'data' && (!phase || o.phase === phase)).length;
  driver.stop = async () => {
    driver.running = false;
    await Promise.all(driver.loops);
  };
  /** Outcomes of a phase (and kind), grouped by what came back. */
  driver.summary = (phase) => {
    const counts = {};
    for (const o of driver.outcomes) {
      if (phase && o.phase !== phase) continue;
      const key = `${o.request} ${o.kind}${o.code ? ` ${o.code}` : ''}`;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return counts;
  };
  return driver;
}

/**
 * A POST /graphql the server is provably working on: it is sent with `Expect: 100-continue`
 * and resolves once the server asked for the body (its handler is reading it). `release()`
 * sends the body and resolves with the answer: { status, text, json } or { error }.
 */
export function heldRequest(url, payload) {
  const data = Buffer.from(JSON.stringify(payload));
  return new Promise((resolveHeld, rejectHeld) => {
    const request = http.request(`${url}/graphql`, {
      method: 'POST',
      agent: false,
      headers: { 'content-type': 'application/json', 'content-length': data.length, expect: '100-continue' },
    });
    const answer = new Promise((resolve) => {
      request.on('response', (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk) => (text += chunk));
        response.on('end', () => {
          let json;
          try {
            json = JSON.parse(text);
          } catch {
            // not JSON: the caller sees `text`
          }
          resolve({ status: response.statusCode, text, json });
        });
        response.on('error', (err) => resolve({ error: `${err.code ?? ''} ${err.message}` }));
      });
      request.on('error', (err) => {
        resolve({ error: `${err.code ?? ''} ${err.message}` });
        rejectHeld(new Error(`held request failed before the server asked for its body: ${err.message}`));
      });
    });
    request.setTimeout(HANG * 2, () => request.destroy(new Error('no answer (hang detector)')));
    request.on('continue', () =>
      resolveHeld({
        release: () => {
          request.end(data);
          return answer;
        },
      }),
    );
    request.flushHeaders();
  });
}
