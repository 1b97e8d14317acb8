// Every operation the public page sends. test/documents.test.ts validates each against
// ../schema.graphql and checks that the inputs we build have the schema's field names.

import { doc } from './client.ts';

export interface ServiceItem {
  id: string;
  name: string;
}

export const SERVICES = doc<{ services: ServiceItem[] }>('query Services { services { id name } }');

export const SERVICES_CHANGED = doc<{ servicesChanged: ServiceItem[] }>(
  'subscription ServicesChanged { servicesChanged { id name } }',
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
