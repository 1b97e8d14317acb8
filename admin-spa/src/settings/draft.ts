// The settings form's state and the mutation input it becomes. The limits are the server's
// (server/src/business.rs; draft.test.ts reads them from there).
import type { BusinessSettingsFieldsFragment, BusinessSettingsInput } from '../gql/graphql';

export const SETTINGS_MAX = {
  name: 120, // NAME_MAX
  about: 1000, // ABOUT_MAX
  phone: 30, // PHONE_MAX
  email: 255, // Email::MAX_LEN
  telegram: 64,
  whatsapp: 30, // PHONE_MAX
  address: 300, // ADDRESS_MAX
  privacyPolicyText: 20_000, // POLICY_TEXT_MAX
  privacyPolicyUrl: 500, // URL_MAX
  consentText: 1000, // CONSENT_MAX
  primaryColor: 7,
} as const;

/** `LOGO_MAX_BYTES`. */
export const LOGO_MAX_BYTES = 100 * 1024;
/** `CURRENCIES`. */
export const CURRENCIES = ['RUB', 'USD', 'EUR', 'KZT', 'BYN', 'UAH'] as const;

export type TextField = keyof typeof SETTINGS_MAX;

export type LogoDraft =
  | { kind: 'keep' }
  | { kind: 'remove' }
  | { kind: 'link'; url: string }
  | { kind: 'upload'; dataUrl: string };

export type SettingsDraft = Record<TextField, string> & { currency: string; logo: LogoDraft };

export function draftOf(s: BusinessSettingsFieldsFragment): SettingsDraft {
  return {
    name: s.name ?? '',
    about: s.about ?? '',
    phone: s.phone ?? '',
    email: s.email ?? '',
    telegram: s.telegram ? `@${s.telegram}` : '',
    whatsapp: s.whatsapp ?? '',
    address: s.address ?? '',
    privacyPolicyText: s.privacyPolicyText ?? '',
    privacyPolicyUrl: s.privacyPolicyUrl ?? '',
    consentText: s.consentText ?? '',
    primaryColor: s.primaryColor ?? '',
    currency: s.currency,
    logo: s.logoLink ? { kind: 'link', url: s.logoLink } : { kind: 'keep' },
  };
}

/** `fresh` settings with the owner's edits kept: a field of `draft` that differs from
 * `reference` (what the form last loaded or sent) was typed since, and stays. */
export function keepEdits(
  draft: SettingsDraft,
  reference: SettingsDraft,
  fresh: SettingsDraft,
): SettingsDraft {
  const next = { ...fresh };
  for (const field of [...(Object.keys(SETTINGS_MAX) as TextField[]), 'currency'] as const) {
    if (draft[field] !== reference[field]) next[field] = draft[field];
  }
  if (JSON.stringify(draft.logo) !== JSON.stringify(reference.logo)) next.logo = draft.logo;
  return next;
}

/** Every text field as typed (blank clears it); the logo only when it changes. */
export function inputOf(d: SettingsDraft): BusinessSettingsInput {
  const { logo, ...fields } = d;
  const input: BusinessSettingsInput = { ...fields };
  if (logo.kind === 'remove') input.removeLogo = true;
  if (logo.kind === 'link') input.logoUrl = logo.url;
  if (logo.kind === 'upload') input.logoUpload = logo.dataUrl;
  return input;
}
