// The server's order validation, mirrored so the visitor hears about a mistake before sending.
// Lengths count characters (code points) after trimming, as the server does.

import type { MessageKey } from '../i18n/index.ts';

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
export interface FieldError {
  key: MessageKey;
  params?: Record<string, number>;
}
export type Errors = Partial<Record<Field, FieldError>>;

const NAME_MAX = 100;
const EMAIL_MAX = 255;
const PHONE_MAX = 20;
const SHORT_MAX = 100;
const LONG_MAX = 5000;

/** Maximum length per optional text field (server constants). */
const MAX: Partial<Record<Field, number>> = {
  patronymic: NAME_MAX,
  businessNiche: 100,
  companySize: 50,
  budget: SHORT_MAX,
  deadline: SHORT_MAX,
  convenientTime: SHORT_MAX,
  preferredContactMethod: 50,
  businessInfo: LONG_MAX,
  additionalComments: LONG_MAX,
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string): boolean => UUID.test(value);

// Characters as the server counts them (Unicode scalar values), not UTF-16 units.
// eslint-disable-next-line @typescript-eslint/no-misused-spread
const length = (text: string): number => [...text].length;

const tooLong = (max: number): FieldError => ({ key: 'error.tooLong', params: { max } });

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

export function validateField(field: Field, raw: string): FieldError | undefined {
  const value = raw.trim();
  switch (field) {
    case 'name':
    case 'surname':
      if (value === '') return { key: 'error.required' };
      return length(value) > NAME_MAX ? tooLong(NAME_MAX) : undefined;
    case 'email': {
      if (value === '') return { key: 'error.required' };
      const email = value.toLowerCase();
      if (length(email) > EMAIL_MAX) return tooLong(EMAIL_MAX);
      return looksLikeEmail(email) ? undefined : { key: 'error.email' };
    }
    case 'phone':
      if (value === '') return undefined;
      if (length(value) > PHONE_MAX) return tooLong(PHONE_MAX);
      return /^[0-9 +()-]+$/.test(value) && /[0-9]/.test(value)
        ? undefined
        : { key: 'error.phone' };
    case 'serviceId':
      return value === '' || isUuid(value) ? undefined : { key: 'error.serviceGone' };
    default: {
      const max = MAX[field];
      return max !== undefined && length(value) > max ? tooLong(max) : undefined;
    }
  }
}

export function validate(values: FormValues): Errors {
  const errors: Errors = {};
  for (const field of FIELDS) {
    const error = validateField(field, values[field]);
    if (error) errors[field] = error;
  }
  return errors;
}
