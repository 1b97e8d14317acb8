// How an order names its service, in the list and on the order card alike.
import type { LeadRowFragment } from '../gql/graphql';

/** The service's current name; the name it had when ordered, marked deleted; or `none`. */
export function serviceLabel(
  lead: Pick<LeadRowFragment, 'service' | 'serviceName'>,
  none: string,
  deleted: string,
): string {
  if (lead.service) return lead.service.name;
  if (lead.serviceName) return `${lead.serviceName} (${deleted})`;
  return none;
}
