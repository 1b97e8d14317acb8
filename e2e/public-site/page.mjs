// Page object for the public order page (public-site/), plus the GraphQL calls its tests use to
// check what the server stored.

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
    page.on('request', (request) => {
      const body = graphqlBody(request);
      if (body?.query?.includes('submitApplication')) this.orders.push(body.variables.input);
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

  async waitForServiceNames(expected, timeout = 5000) {
    const deadline = Date.now() + timeout;
    let names;
    while (Date.now() < deadline) {
      names = await this.serviceNames();
      if (JSON.stringify(names) === JSON.stringify(expected)) return names;
      await this.page.waitForTimeout(100);
    }
    throw new Error(
      `service list is ${JSON.stringify(names)}, expected ${JSON.stringify(expected)}`,
    );
  }

  async fill(values) {
    for (const [name, value] of Object.entries(values)) {
      const control = this.field(name);
      const tag = await control.evaluate((el) => el.tagName);
      if (tag === 'SELECT') await control.selectOption(value);
      else await control.fill(value);
    }
  }

  async submit() {
    await this.submitButton().click();
  }

  /** Waits until at least `count` batches were acknowledged; returns them. */
  async acknowledgedBatches(count = 1, timeout = 10_000) {
    const deadline = Date.now() + timeout;
    while (Date.now() < deadline) {
      const acked = this.batches.filter((b) => b.acknowledged);
      if (acked.length >= count) return acked;
      await this.page.waitForTimeout(100);
    }
    throw new Error(
      `only ${this.batches.filter((b) => b.acknowledged).length} of ${count} batches acknowledged: ${JSON.stringify(this.batches.slice(-3))}`,
    );
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
    `{ metricStats(days: 1) { visits { day } averageTimeOnPage { day } conversionRate
       topClicks { element count } formFields { field focuses averageSeconds abandonments }
       heatmap(viewport: DESKTOP) { maxCount cells { x y count } } } }`,
    {},
    token,
  );
  return data.metricStats;
}

/** Polls until `check(value)` is truthy (the server flushes metrics at least every second). */
export async function eventually(read, check, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  let value;
  while (Date.now() < deadline) {
    value = await read();
    if (check(value)) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`condition not met in ${timeout} ms; last value: ${JSON.stringify(value)}`);
}
