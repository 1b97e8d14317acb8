// Every operation the public page sends. test/documents.test.ts validates each against
// ../schema.graphql and checks that the inputs we build have the schema's field names.

import { doc } from './client.ts';

export interface ServiceItem {
  id: string;
  name: string;
  description: string | null;
  priceFrom: number | null;
}

/** What the page shows of the business (`BusinessSettings`); null values are unset. */
export interface BusinessSettings {
  name: string | null;
  about: string | null;
  phone: string | null;
  email: string | null;
  telegram: string | null;
  whatsapp: string | null;
  address: string | null;
  privacyPolicyText: string | null;
  privacyPolicyUrl: string | null;
  consentText: string | null;
  primaryColor: string | null;
  currency: string;
  logoUrl: string | null;
}

const SERVICE_FIELDS = 'id name description priceFrom';
const SETTINGS_FIELDS =
  'name about phone email telegram whatsapp address privacyPolicyText privacyPolicyUrl consentText primaryColor currency logoUrl';

/** Everything the page shows, in one request. */
export const PAGE = doc<{ services: ServiceItem[]; businessSettings: BusinessSettings }>(
  `query Page { services { ${SERVICE_FIELDS} } businessSettings { ${SETTINGS_FIELDS} } }`,
);

/** The business alone: what the 404 page shows. */
export const BUSINESS = doc<{ businessSettings: BusinessSettings }>(
  `query Business { businessSettings { ${SETTINGS_FIELDS} } }`,
);

export const SERVICES_CHANGED = doc<{ servicesChanged: ServiceItem[] }>(
  `subscription ServicesChanged { servicesChanged { ${SERVICE_FIELDS} } }`,
);

export const SETTINGS_CHANGED = doc<{ businessSettingsChanged: BusinessSettings }>(
  `subscription BusinessSettingsChanged { businessSettingsChanged { ${SETTINGS_FIELDS} } }`,
);

/** `ApplicationInput`: required fields always, optional ones only when filled. */
export interface ApplicationInput {
  name: string;
  surname: string;
  email: string;
  patronymic?: string;
  phone?: string;
  serviceId?: string;
  businessInfo?: string;
  businessNiche?: string;
  companySize?: string;
  budget?: string;
  deadline?: string;
  convenientTime?: string;
  preferredContactMethod?: string;
  additionalComments?: string;
  visitId?: string;
  website?: string;
  /** The consent box: the server refuses an order without it. */
  consent?: boolean;
}

export const SUBMIT_APPLICATION = doc<
  { submitApplication: { id: string; createdAt: string } },
  { input: ApplicationInput }
>(
  'mutation SubmitApplication($input: ApplicationInput!) { submitApplication(input: $input) { id createdAt } }',
);

/** `MetricsBatchInput` of the metrics API (issue 4). */
export interface MetricsBatchInput {
  visitorId: string;
  visitId: string;
  seq: number;
  page: string;
  viewportWidth: number;
  viewportHeight: number;
  engagedSeconds: number;
  clicks: { element: string; count: number }[];
  points: { x: number; y: number }[];
  fields: { name: string; focusCount: number; focusedMs: number; lastTouched?: boolean }[];
}

export const SUBMIT_METRICS = doc<{ submitMetrics: boolean }, { input: MetricsBatchInput }>(
  'mutation SubmitMetrics($input: MetricsBatchInput!) { submitMetrics(input: $input) }',
);
