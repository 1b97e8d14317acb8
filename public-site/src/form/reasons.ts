// The server's refusals of an order, in the visitor's language. A BAD_USER_INPUT error names the
// `field`, a machine `reason` (the schema's `enum ValidationReason`) and its bounds (`max`,
// `min`); the English `message` is shown only when the error carries no reason we know.
// test/reasons.test.ts checks this list against ../schema.graphql.

import type { GraphQLError } from '../api/client.ts';
import type { MessageKey } from '../i18n/index.ts';
import type { Field, FieldError } from './validate.ts';

export type ValidationReason =
  | 'REQUIRED'
  | 'TOO_LONG'
  | 'TOO_SHORT'
  | 'OUT_OF_RANGE'
  | 'TOO_MANY'
  | 'CONTROL_CHARACTERS'
  | 'INVISIBLE_CHARACTERS'
  | 'INVALID_EMAIL'
  | 'INVALID_PHONE'
  | 'INVALID_ID'
  | 'INVALID_FORMAT'
  | 'UNKNOWN_VALUE'
  | 'DUPLICATE'
  | 'RANGE_REVERSED'
  | 'UNAVAILABLE'
  | 'NOT_YOURS'
  | 'SETUP_CODE_REQUIRED'
  | 'SETUP_CODE_WRONG'
  | 'WEAK_PASSWORD'
  | 'WRONG_PASSWORD'
  | 'INVITATION_INVALID'
  | 'INVITATION_USED'
  | 'INVITATION_EXPIRED'
  | 'CHANGED';

interface ReasonText {
  key: MessageKey;
  /** The bound the text shows as `{max}` / `{min}`. */
  needs?: 'max' | 'min';
}

/** Every reason in words. The form can meet the first nine; the rest (other screens' reasons)
 * read as a plain "check this value". */
export const BY_REASON: Record<ValidationReason, ReasonText> = {
  REQUIRED: { key: 'error.required' },
  TOO_LONG: { key: 'error.tooLong', needs: 'max' },
  TOO_SHORT: { key: 'error.tooShort', needs: 'min' },
  CONTROL_CHARACTERS: { key: 'error.controlChars' },
  INVISIBLE_CHARACTERS: { key: 'error.invisibleChars' },
  INVALID_EMAIL: { key: 'error.email' },
  INVALID_PHONE: { key: 'error.phone', needs: 'min' },
  INVALID_ID: { key: 'error.invalid' },
  UNAVAILABLE: { key: 'error.invalid' },
  OUT_OF_RANGE: { key: 'error.invalid' },
  TOO_MANY: { key: 'error.invalid' },
  INVALID_FORMAT: { key: 'error.invalid' },
  UNKNOWN_VALUE: { key: 'error.invalid' },
  DUPLICATE: { key: 'error.invalid' },
  RANGE_REVERSED: { key: 'error.invalid' },
  NOT_YOURS: { key: 'error.invalid' },
  SETUP_CODE_REQUIRED: { key: 'error.invalid' },
  SETUP_CODE_WRONG: { key: 'error.invalid' },
  WEAK_PASSWORD: { key: 'error.invalid' },
  WRONG_PASSWORD: { key: 'error.invalid' },
  INVITATION_INVALID: { key: 'error.invalid' },
  INVITATION_USED: { key: 'error.invalid' },
  INVITATION_EXPIRED: { key: 'error.invalid' },
  CHANGED: { key: 'error.invalid' },
};

/** Where a field says it better: a phone the contact method needs, a service that is gone
 * (deleted meanwhile, or a stale id). */
const BY_FIELD: Partial<Record<Field, Partial<Record<ValidationReason, ReasonText>>>> = {
  // The phone is optional unless the chosen contact method needs it.
  phone: { REQUIRED: { key: 'error.phoneNeeded' } },
  serviceId: {
    INVALID_ID: { key: 'error.serviceGone' },
    UNAVAILABLE: { key: 'error.serviceGone' },
  },
};

export const isReason = (value: unknown): value is ValidationReason =>
  typeof value === 'string' && Object.hasOwn(BY_REASON, value);

/** A reason in words for a field: the server's refusal, or the same check made here first. */
export function reasonError(
  field: Field,
  reason: ValidationReason,
  bounds: { max?: number; min?: number } = {},
): FieldError {
  const text = BY_FIELD[field]?.[reason] ?? BY_REASON[reason];
  if (!text.needs) return { key: text.key };
  const value = bounds[text.needs];
  // A bound the text needs but the error lacks: say it without the number, never `{max}`.
  return value === undefined
    ? { key: 'error.invalid' }
    : { key: text.key, params: { [text.needs]: value } };
}

/** The server's refusal of one field in words. */
export function serverFieldError(field: Field, error: GraphQLError): FieldError {
  const { reason, max, min } = error.extensions ?? {};
  if (!isReason(reason)) return { text: error.message };
  const bounds: { max?: number; min?: number } = {};
  if (typeof max === 'number') bounds.max = max;
  if (typeof min === 'number') bounds.min = min;
  return reasonError(field, reason, bounds);
}
