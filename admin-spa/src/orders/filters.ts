// The orders filter lives in the URL (?priority=URGENT&status=NEW&service=…&from=…&to=…&q=…)
// so it survives reloads, live updates and a trip to an order card and back.
import type { LeadFilter, LeadStatus, Priority } from '../gql/graphql';
import { localDayStart } from '../lib/format';
import { isPriority, isStatus } from './priority';

export interface OrdersFilter {
  priority: Priority | null;
  status: LeadStatus | null;
  serviceId: string | null;
  /** Local `YYYY-MM-DD`, inclusive. */
  from: string | null;
  /** Local `YYYY-MM-DD`, inclusive (the whole day). */
  to: string | null;
  search: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export function filterFromParams(params: URLSearchParams): OrdersFilter {
  const priority = params.get('priority');
  const status = params.get('status');
  const from = params.get('from');
  const to = params.get('to');
  return {
    priority: isPriority(priority) ? priority : null,
    status: isStatus(status) ? status : null,
    serviceId: params.get('service') || null,
    from: from && DAY.test(from) ? from : null,
    to: to && DAY.test(to) ? to : null,
    search: params.get('q') ?? '',
  };
}

export function filterToParams(filter: OrdersFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.priority) params.set('priority', filter.priority);
  if (filter.status) params.set('status', filter.status);
  if (filter.serviceId) params.set('service', filter.serviceId);
  if (filter.from) params.set('from', filter.from);
  if (filter.to) params.set('to', filter.to);
  if (filter.search.trim()) params.set('q', filter.search);
  return params;
}

export function isFiltered(filter: OrdersFilter): boolean {
  return filterToParams(filter).size > 0;
}

/** The GraphQL `LeadFilter`: local days become instants; `to` covers its whole day. */
export function toLeadFilter(filter: OrdersFilter): LeadFilter {
  const result: LeadFilter = {};
  if (filter.priority) result.priority = filter.priority;
  if (filter.status) result.status = filter.status;
  if (filter.serviceId) result.serviceId = filter.serviceId;
  const search = filter.search.trim();
  if (search) result.search = search;
  const from = filter.from ? localDayStart(filter.from) : null;
  const to = filter.to ? localDayStart(filter.to, 1) : null;
  if (from) result.createdFrom = from;
  if (to) result.createdTo = to;
  return result;
}

/** Query string for `GET /export/leads.csv` with the same filter. */
export function toExportQuery(filter: OrdersFilter): string {
  const lead = toLeadFilter(filter);
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(lead)) {
    if (typeof value === 'string' && value) params.set(key, value);
  }
  return params.toString();
}
