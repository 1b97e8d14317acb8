// Page object for the public order page (public-site/), plus the GraphQL calls its tests use to
// check what the server stored, and the waits the browser tests share (admin/ too): each waits for
// a condition or an event and fails saying what it awaited and what it saw, never sleeps.

export const FORM_FIELDS = [
  'name',
  'surname',
  'patronymic',
  'email',
  'phone',
  'serviceId',
  'businessInfo',
  'businessNiche',
  'companySize',
  'budget',
  'deadline',
  'convenientTime',
  'preferredContactMethod',
  'additionalComments',
];

export class PublicSitePage {
  /** @param {import('playwright-core').Page} page */
  constructor(page, baseUrl) {
    this.page = page;
    this.baseUrl = baseUrl;
    /** Every submitMetrics batch the page sent, with whether the server acknowledged it. */
    this.batches = [];
    /** Every submitApplication input the page sent. */
    this.orders = [];
    /** Every submitMetrics request the page made, answered or not. */
    this.metricRequests = [];
    /** Conditions waiting for the next batch answer (see `untilBatches`). */
    this.waiters = new Set();
    page.on('request', (request) => {
      const body = graphqlBody(request);
      if (body?.query?.includes('submitApplication')) this.orders.push(body.variables.input);
      if (body?.query?.includes('submitMetrics')) this.metricRequests.push(body.variables.input);
    });
    page.on('response', async (response) => {
      const body = graphqlBody(response.request());
      if (!body?.query?.includes('submitMetrics')) return;
      const entry = { input: body.variables.input, acknowledged: false };
      this.batches.push(entry);
      try {
        const answer = await response.json();
        entry.acknowledged = answer?.data?.submitMetrics === true;
        entry.errors = answer?.errors;
      } catch {
        // the page went away before the answer
      }
      for (const waiter of this.waiters) waiter();
    });
  }

  async goto() {
    await this.page.goto(`${this.baseUrl}/`);
    await this.page.locator('#order').waitFor();
  }

  field(name) {
    return this.page.locator(`#order [name="${name}"]`);
  }

  error(name) {
    return this.page.locator(`#e-${name}`);
  }

  status() {
    return this.page.locator('#form-status');
  }

  submitButton() {
    return this.page.locator('#submit');
  }

  success() {
    return this.page.locator('#success');
  }

  /** The service options' visible names, in order (without the "help me choose" option). */
  async serviceNames() {
    return this.page
      .locator('#f-serviceId option')
      .evaluateAll((options) => options.slice(1).map((o) => o.textContent));
  }

  /** Waits until the service list shows exactly `expected` (the page re-checks every frame). */
  async waitForServiceNames(expected, timeout = 5000) {
    await waitInPage(
      this.page,
      `service list ${JSON.stringify(expected)}`,
      (names) =>
        JSON.stringify(
          [...document.querySelectorAll('#f-serviceId option')].slice(1).map((o) => o.textContent),
        ) === JSON.stringify(names),
      expected,
      { timeout, seen: () => this.serviceNames() },
    );
    return expected;
  }

  /** Types `values` into the form and, as a visitor sending it does, ticks the consent box
   * (`{ consent: false }` leaves it as it is). */
  async fill(values, { consent = true } = {}) {
    for (const [name, value] of Object.entries(values)) {
      const control = this.field(name);
      const tag = await control.evaluate((el) => el.tagName);
      if (tag === 'SELECT') await control.selectOption(value);
      else await control.fill(value);
    }
    if (consent) await this.consent().check();
  }

  consent() {
    return this.page.locator('#f-consent');
  }

  /** The failure beside the submit button (connection, rate limit), with its retry. */
  submitStatus() {
    return this.page.locator('#submit-status');
  }

  async submit() {
    await this.submitButton().click();
  }

  /** Waits until at least `count` batches were acknowledged; returns them. */
  async acknowledgedBatches(count = 1, timeout = 10_000) {
    const acked = () => this.batches.filter((b) => b.acknowledged);
    await this.untilBatches(
      `${count} acknowledged metrics batches`,
      () => acked().length >= count,
      {
        timeout,
        seen: () => ({ acknowledged: acked().length, last: this.batches.slice(-3) }),
      },
    );
    return acked();
  }

  /**
   * Resolves once `check()` holds, re-checking after every metrics batch the page gets an answer
   * to (no polling: only an answer can change what the batches show). Fails after `timeout` ms,
   * saying what was awaited and what `seen()` (default: the last batches) shows.
   */
  untilBatches(what, check, { timeout = 15_000, seen = () => this.batches.slice(-3) } = {}) {
    if (check()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter = () => {
        if (!check()) return;
        this.waiters.delete(waiter);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`${what}: not within ${timeout} ms; seen: ${JSON.stringify(seen())}`));
      }, timeout);
      this.waiters.add(waiter);
    });
  }
}

function graphqlBody(request) {
  if (!request.url().endsWith('/graphql') || request.method() !== 'POST') return null;
  try {
    return JSON.parse(request.postData() ?? '');
  } catch {
    return null;
  }
}

export async function gqlOk(server, query, variables = {}, token) {
  const body = await server.gql(query, variables, token);
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function createService(server, token, name) {
  const data = await gqlOk(
    server,
    'mutation($i: ServiceInput!) { createService(input: $i) { id name } }',
    { i: { name } },
    token,
  );
  return data.createService;
}

export const deleteService = (server, token, id) =>
  gqlOk(server, 'mutation($id: ID!) { deleteService(id: $id) }', { id }, token);

export const renameService = (server, token, id, name) =>
  gqlOk(
    server,
    'mutation($id: ID!, $i: ServiceInput!) { updateService(id: $id, input: $i) { id } }',
    { id, i: { name } },
    token,
  );

export async function metricStats(server, token) {
  const data = await gqlOk(
    server,
    `{ metricStats(days: 1) { summary { visits averageTimeOnPage } conversionRate
       topClicks { element count } formFields { field focuses averageSeconds abandonments }
       heatmap(viewport: DESKTOP) { maxCount packedCells } } }`,
    {},
    token,
  );
  // packedCells: x, y, count of each cell, three integers per cell.
  const packed = data.metricStats.heatmap.packedCells;
  const cells = [];
  for (let i = 0; i + 2 < packed.length; i += 3) {
    cells.push({ x: packed[i], y: packed[i + 1], count: packed[i + 2] });
  }
  return { ...data.metricStats, heatmap: { ...data.metricStats.heatmap, cells } };
}

/**
 * Reads `read()` until `check(value)` holds and returns that value: for state only the API shows
 * (the server writes metrics behind its answers). It waits for the condition, never for a set
 * time: the pause between reads only spaces the requests. Fails after `timeout` ms, saying what was
 * awaited and the last value read.
 */
export async function eventually(what, read, check, { timeout = 15_000, every = 100 } = {}) {
  const deadline = Date.now() + timeout;
  let value;
  for (;;) {
    value = await read();
    if (check(value)) return value;
    if (Date.now() >= deadline) break;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`${what}: not within ${timeout} ms; last seen: ${JSON.stringify(value)}`);
}

/**
 * `page.waitForFunction(predicate, arg)` (re-checked every animation frame) that fails saying what
 * was awaited and what `seen()` reads at that moment, instead of a bare "Timeout exceeded".
 */
export async function waitInPage(page, what, predicate, arg, { timeout = 15_000, seen } = {}) {
  try {
    return await page.waitForFunction(predicate, arg, { timeout });
  } catch (error) {
    if (error?.name !== 'TimeoutError') throw error;
    const saw = seen ? await seen().catch((e) => `(unreadable: ${e.message})`) : undefined;
    throw new Error(`${what}: not within ${timeout} ms; seen: ${JSON.stringify(saw)}`);
  }
}

/**
 * A request from the page (a GraphQL `{ __typename }` to `/graphql?<tag>`), awaited until its
 * answer is here. Requests a page starts are reported in order, so by then `page.on('request')`
 * listeners have seen every request the page started before this one.
 */
export async function pageRoundTrip(page, tag, timeout = 15_000) {
  const url = `/graphql?${tag}`;
  const [answer] = await Promise.all([
    page
      .waitForResponse((r) => r.url().endsWith(url), { timeout })
      .catch((error) => {
        if (error?.name !== 'TimeoutError') throw error;
        throw new Error(`the answer to the page's request ${url}: not within ${timeout} ms`);
      }),
    page.evaluate(
      (u) =>
        fetch(u, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __typename }' }),
        }).then((r) => r.status),
      url,
    ),
  ]);
  if (!answer.ok()) throw new Error(`the page's request ${url} answered ${answer.status()}`);
}

/**
 * The accessible name and description Chromium computes for the element `selector` finds (what a
 * screen reader announces), read over the DevTools protocol.
 */
export async function accessible(page, selector) {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { root } = await cdp.send('DOM.getDocument', { depth: 0 });
    const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
    if (!nodeId) throw new Error(`no element ${selector}`);
    const { nodes } = await cdp.send('Accessibility.getPartialAXTree', {
      nodeId,
      fetchRelatives: false,
    });
    const node = nodes[0];
    return { name: node?.name?.value ?? '', description: node?.description?.value ?? '' };
  } finally {
    await cdp.detach();
  }
}

/** Every heading the page shows (visually hidden ones count), as [level, text], in order. */
export function headingOutline(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('h1, h2, h3, h4, h5, h6, [role=heading]')]
      .filter((h) => h.checkVisibility())
      .map((h) => [Number(h.getAttribute('aria-level') ?? h.tagName.slice(1)), h.textContent.trim()]),
  );
}
