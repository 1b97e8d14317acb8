// The server's order validation, mirrored so the visitor hears about a mistake before sending,
// in the words of the server's refusal (reasons.ts). Lengths count characters (code points)
// after trimming, as the server does; the limits are the server's (src/limits.ts).

import type { MessageKey } from '../i18n/index.ts';
import { FORM_MAX, charCount } from '../limits.ts';
import { reasonError } from './reasons.ts';

export const FIELDS = [
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
] as const;

export type Field = (typeof FIELDS)[number];
export type FormValues = Record<Field, string>;
/** A message of ours, or (a refusal without a reason we know) the server's own words. */
export type FieldError =
  | { key: MessageKey; params?: Record<string, number>; text?: never }
  | { text: string; key?: never; params?: never };
export type Errors = Partial<Record<Field, FieldError>>;

/** Maximum length per optional text field. */
const MAX: Partial<Record<Field, number>> = {
  patronymic: FORM_MAX.name,
  businessNiche: FORM_MAX.businessNiche,
  companySize: FORM_MAX.companySize,
  budget: FORM_MAX.shortText,
  deadline: FORM_MAX.shortText,
  convenientTime: FORM_MAX.shortText,
  preferredContactMethod: FORM_MAX.contactMethod,
  businessInfo: FORM_MAX.longText,
  additionalComments: FORM_MAX.longText,
};

/** The longest value a field takes, in characters (none for the service's id). */
export function maxLength(field: Field): number | undefined {
  switch (field) {
    case 'name':
    case 'surname':
      return FORM_MAX.name;
    case 'email':
      return FORM_MAX.email;
    case 'phone':
      return FORM_MAX.phone;
    default:
      return MAX[field];
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

/** One `@`, a non-empty local part, a dotted domain whose labels are non-empty and do not start
 * or end with `-`, no whitespace, control characters or `< > , ;`. */
export function looksLikeEmail(email: string): boolean {
  const at = email.indexOf('@');
  if (at < 1) return false;
  const domain = email.slice(at + 1);
  if (domain.includes('@') || !domain.includes('.')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f-\u009f<>,;]/u.test(email)) return false;
  return domain.split('.').every((l) => l !== '' && !l.startsWith('-') && !l.endsWith('-'));
}

/** The contact methods that reach the visitor on their phone: choosing one makes the phone
 * required (`PHONE_CONTACT_METHODS` in server/src/leads/text.rs; test/limits.test.ts compares). */
export const NEEDS_PHONE: readonly string[] = [
  'contact_phone',
  'contact_telegram',
  'contact_whatsapp',
];

/** Checks one field as the server would; `values` (the whole form) when a rule looks across
 * fields: the phone is required when the contact method needs it. */
export function validateField(
  field: Field,
  raw: string,
  values?: Partial<FormValues>,
): FieldError | undefined {
  const value = raw.trim();
  const tooLong = (max: number) =>
    charCount(value) > max ? reasonError(field, 'TOO_LONG', { max }) : undefined;
  switch (field) {
    case 'name':
    case 'surname':
      if (value === '') return reasonError(field, 'REQUIRED');
      return tooLong(FORM_MAX.name);
    case 'email': {
      if (value === '') return reasonError(field, 'REQUIRED');
      const email = value.toLowerCase();
      if (charCount(email) > FORM_MAX.email)
        return reasonError(field, 'TOO_LONG', { max: FORM_MAX.email });
      return looksLikeEmail(email) ? undefined : reasonError(field, 'INVALID_EMAIL');
    }
    case 'phone':
      // As the server: what a phone cannot hold is named before the length (cutting letters
      // down to the limit would not make them a phone).
      if (value === '')
        return NEEDS_PHONE.includes(values?.preferredContactMethod?.trim() ?? '')
          ? reasonError(field, 'REQUIRED')
          : undefined;
      return /^[0-9 +()-]+$/.test(value) &&
        (value.match(/[0-9]/g)?.length ?? 0) >= FORM_MAX.phoneDigits
        ? tooLong(FORM_MAX.phone)
        : reasonError(field, 'INVALID_PHONE', { min: FORM_MAX.phoneDigits });
    case 'serviceId':
      return value === '' || isUuid(value) ? undefined : reasonError(field, 'INVALID_ID');
    default: {
      const max = MAX[field];
      return max === undefined ? undefined : tooLong(max);
    }
  }
}

export function validate(values: FormValues): Errors {
  const errors: Errors = {};
  for (const field of FIELDS) {
    const error = validateField(field, values[field], values);
    if (error) errors[field] = error;
  }
  return errors;
}
