// What an admin can read back: the state that the hostile requests must leave as it was.
import { gql } from './http.mjs';

export async function adminQuery(server, token, query, variables) {
  const res = await gql(server.graphqlUrl, query, variables, { token });
  if (!res.json?.data || res.json.errors) {
    throw new Error(`admin query failed (${res.status}): ${res.text.slice(0, 500)}\n${query}`);
  }
  return res.json.data;
}

const LEAD_FIELDS =
  'id name surname patronymic email phone serviceName businessInfo businessNiche companySize budget deadline convenientTime preferredContactMethod additionalComments status lostReason firstResponseAt';

/** Every lead, page by page. */
export async function allLeads(server, token) {
  const leads = [];
  let after = null;
  for (;;) {
    const data = await adminQuery(
      server,
      token,
      `query($after: String) { leads(first: 200, after: $after) { nodes { ${LEAD_FIELDS} } pageInfo { hasNextPage endCursor } } }`,
      { after },
    );
    leads.push(...data.leads.nodes);
    if (!data.leads.pageInfo.hasNextPage) return leads;
    after = data.leads.pageInfo.endCursor;
  }
}

export async function leadById(server, token, id) {
  const data = await adminQuery(server, token, `query($id: ID!) { lead(id: $id) { ${LEAD_FIELDS} } }`, { id });
  return data.lead;
}

export async function countLeads(server, token) {
  const data = await adminQuery(server, token, '{ leads(first: 1) { totalCount } }');
  return data.leads.totalCount;
}

export async function pageStats(server, token, page = '/') {
  const data = await adminQuery(
    server,
    token,
    'query($page: String) { metricStats(days: 1, page: $page) { visits { day } formFields { field focuses } topClicks { element count } } }',
    { page },
  );
  return data.metricStats;
}

/** Everything an admin mutation could change, for before/after comparison. */
export async function snapshot(server, token) {
  const data = await adminQuery(
    server,
    token,
    `{ services(includeHidden: true) { id name description hidden createdAt updatedAt }
       leadStats { total byStatus { status count } byPriority { priority count won lost } } }`,
  );
  const leads = (await allLeads(server, token)).sort((a, b) => a.id.localeCompare(b.id));
  return { ...data, leads };
}
