// For tests: settings as a desk that never saved any has them.
import type { BusinessSettingsFieldsFragment } from '../gql/graphql';

export const UNSET_SETTINGS: BusinessSettingsFieldsFragment = {
  name: null,
  about: null,
  phone: null,
  email: null,
  telegram: null,
  whatsapp: null,
  address: null,
  privacyPolicyText: null,
  privacyPolicyUrl: null,
  consentText: null,
  consentVersion: 0,
  primaryColor: null,
  currency: 'RUB',
  logoUrl: null,
  logoUploaded: false,
  logoLink: null,
  updatedAt: null,
};
