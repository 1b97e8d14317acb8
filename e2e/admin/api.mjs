// GraphQL calls the admin tests make directly: the truth to compare the screens with, and
// visitors' orders and behavior for the live and statistics checks.
import { randomUUID } from 'node:crypto';

export async function gqlOk(server, query, variables = {}, token) {
  const body = await server.gql(query, variables, token);
  if (body.errors) throw new Error(`GraphQL error: ${JSON.stringify(body.errors)}`);
  return body.data;
}

export async function leadsPage(server, token, filter = {}, first = 50) {
  const data = await gqlOk(
    server,
    `query($f: LeadFilter, $n: Int) { leads(first: $n, filter: $f) { totalCount
       nodes { id score priority status name surname email createdAt
               scoreBreakdown { budget companySize urgency } } } }`,
    { f: filter, n: first },
    token,
  );
  return data.leads;
}

export async function lead(server, token, id) {
  const data = await gqlOk(
    server,
    `query($id: ID!) { lead(id: $id) { id status lostReason firstResponseAt score priority
       scoreBreakdown { budget companySize urgency } email phone budget deadline companySize } }`,
    { id },
    token,
  );
  return data.lead;
}

export async function services(server) {
  const data = await gqlOk(server, '{ services { id name description } }');
  return data.services;
}

/**
 * One visit's behavior on the public page, as the tracker would send it: engaged seconds,
 * clicks, cursor points on a band of the page, and form-field analytics.
 */
export async function simulateVisit(
  server,
  {
    viewportWidth = 1280,
    points = 60,
    visitorId = randomUUID(),
    clicks = [
      { element: 'order-button', count: 3 },
      { element: 'f-budget', count: 1 },
    ],
  } = {},
) {
  const visitId = randomUUID();
  const batch = (seq, extra) => ({
    visitorId,
    visitId,
    seq,
    page: '/',
    viewportWidth,
    viewportHeight: 800,
    engagedSeconds: 20,
    clicks: [],
    points: [],
    ...extra,
  });
  const pts = Array.from({ length: points }, (_, i) => ({
    x: 0.3 + 0.4 * ((i % 10) / 10),
    y: 200 + 16 * Math.floor(i / 10),
  }));
  // A hot spot: many points in one place.
  for (let i = 0; i < 40; i++) pts.push({ x: 0.5, y: 420 });
  const mutation = 'mutation($i: MetricsBatchInput!) { submitMetrics(input: $i) }';
  await gqlOk(server, mutation, {
    i: batch(1, {
      clicks,
      points: pts.slice(0, 100),
    }),
  });
  await gqlOk(server, mutation, {
    i: batch(2, {
      points: pts.slice(100, 200),
      fields: [
        { name: 'email', focusCount: 1, focusedMs: 4000, lastTouched: false },
        { name: 'budget', focusCount: 2, focusedMs: 6000, lastTouched: true },
      ],
    }),
  });
  return { visitId, visitorId };
}

export async function submitOrder(server, input) {
  const data = await gqlOk(
    server,
    'mutation($i: ApplicationInput!) { submitApplication(input: $i) { id createdAt } }',
    { i: { consent: true, ...input } },
  );
  return data.submitApplication;
}
