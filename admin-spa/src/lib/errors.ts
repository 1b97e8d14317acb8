// GraphQL errors carry `extensions.code` (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT, NOT_FOUND,
// RATE_LIMITED, INTERNAL). A BAD_USER_INPUT error also names its `field` and a machine `reason`
// (the schema's `ValidationReason`) with its parameters (`max`, `min`). These helpers read them
// and say them in the admin's language; the server's English `message` is shown only for an
// error that carries neither a reason nor a code we know.
import type { CombinedError } from '@urql/core';
import type { ValidationReason } from '../gql/enums';
import type { Key } from '../i18n/dictionaries';
import type { Params } from '../i18n/plural';

/** The numbers a reason may come with. */
export interface Bounds {
  min?: number;
  max?: number;
}

export interface FieldError {
  field: string | null;
  code: string;
  reason: ValidationReason | null;
  bounds: Bounds;
  message: string;
}

/** What to show: a dictionary key with its parameters, or (unknown errors only) the server's words. */
export type Described = { key: Key; params?: Params } | { text: string };

/** How a reason reads, and which of its bounds the text needs (`count` is the first one). */
interface ReasonText {
  key: Key;
  needs?: readonly (keyof Bounds)[];
}

/** Every reason the schema has, in words. Total: a reason added to the schema (and to
 * src/gql/ by `npm run codegen`) fails the type check here until it is translated. */
const BY_REASON: Record<ValidationReason, ReasonText> = {
  REQUIRED: { key: 'error.required' },
  TOO_LONG: { key: 'error.tooLong', needs: ['max'] },
  TOO_SHORT: { key: 'error.tooShort', needs: ['min'] },
  OUT_OF_RANGE: { key: 'error.outOfRange', needs: ['min', 'max'] },
  TOO_MANY: { key: 'error.tooMany', needs: ['max'] },
  CONTROL_CHARACTERS: { key: 'error.controlChars' },
  INVISIBLE_CHARACTERS: { key: 'error.invisibleChars' },
  INVALID_EMAIL: { key: 'error.emailInvalid' },
  INVALID_PHONE: { key: 'error.phoneInvalid' },
  INVALID_ID: { key: 'error.invalidId' },
  INVALID_FORMAT: { key: 'error.invalidFormat' },
  UNKNOWN_VALUE: { key: 'error.unknownValue' },
  DUPLICATE: { key: 'error.duplicate' },
  RANGE_REVERSED: { key: 'error.rangeReversed' },
  UNAVAILABLE: { key: 'error.unavailable' },
  NOT_YOURS: { key: 'error.notYours' },
  SETUP_CODE_REQUIRED: { key: 'error.setupCodeRequired' },
  SETUP_CODE_WRONG: { key: 'error.setupCodeWrong' },
  WEAK_PASSWORD: { key: 'error.weakPassword' },
  WRONG_PASSWORD: { key: 'error.wrongPassword' },
  INVITATION_INVALID: { key: 'error.invitationInvalid' },
  INVITATION_USED: { key: 'error.invitationUsed' },
  INVITATION_EXPIRED: { key: 'error.invitationExpired' },
  CHANGED: { key: 'error.changed' },
};

/** Where a field of ours says it better than the general text. */
const BY_FIELD: Partial<Record<string, Partial<Record<ValidationReason, ReasonText>>>> = {
  name: {
    REQUIRED: { key: 'error.nameRequired' },
    DUPLICATE: { key: 'error.duplicateName' },
  },
  email: {
    REQUIRED: { key: 'error.emailRequired' },
    DUPLICATE: { key: 'error.duplicateEmail' },
  },
  password: {
    TOO_SHORT: { key: 'auth.passwordTooShort', needs: ['min'] },
  },
  newPassword: {
    TOO_SHORT: { key: 'auth.passwordTooShort', needs: ['min'] },
  },
  lostReason: {
    REQUIRED: { key: 'error.lostReasonRequired' },
  },
  // The orders list's search (server/src/leads/list.rs): its words are counted, not items.
  search: {
    TOO_MANY: { key: 'error.searchWords', needs: ['max'] },
  },
  // The business settings (server/src/business.rs): each format said as the rule it is.
  logoUrl: { INVALID_FORMAT: { key: 'error.httpsUrl' } },
  privacyPolicyUrl: { INVALID_FORMAT: { key: 'error.httpsUrl' } },
  primaryColor: { INVALID_FORMAT: { key: 'error.color' } },
  telegram: { INVALID_FORMAT: { key: 'error.telegram' } },
  // The settings' numbers need 5 digits; the public form's `phone` is not sent by the admin.
  phone: { INVALID_PHONE: { key: 'error.phoneNumber' } },
  whatsapp: { INVALID_PHONE: { key: 'error.phoneNumber' } },
  // Not base64, not a PNG/JPEG/WebP/GIF, or several logo changes at once; its `max` is bytes.
  logoUpload: {
    INVALID_FORMAT: { key: 'settings.logoType' },
    TOO_LONG: { key: 'settings.logoTooBig' },
  },
};

/** Errors without a reason, by their code. */
const BY_CODE: Partial<Record<string, Key>> = {
  RATE_LIMITED: 'error.rateLimited',
  INTERNAL: 'error.internal',
  NETWORK: 'error.network',
  FORBIDDEN: 'error.forbidden',
  NOT_FOUND: 'error.notFound',
};

/** The reasons this build knows (a newer server may send one it does not). */
export const REASONS = Object.keys(BY_REASON) as ValidationReason[];

const isReason = (value: unknown): value is ValidationReason =>
  typeof value === 'string' && Object.hasOwn(BY_REASON, value);

const bound = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

export function errorCodes(error: CombinedError | undefined | null): string[] {
  if (!error) return [];
  return error.graphQLErrors.map((e) => {
    const code = e.extensions.code;
    return typeof code === 'string' ? code : 'UNKNOWN';
  });
}

export function firstError(error: CombinedError | undefined | null): FieldError | null {
  if (!error) return null;
  const gql = error.graphQLErrors[0];
  if (gql) {
    const { code, field, reason, min, max } = gql.extensions;
    const bounds: Bounds = {};
    const low = bound(min);
    const high = bound(max);
    if (low !== undefined) bounds.min = low;
    if (high !== undefined) bounds.max = high;
    return {
      code: typeof code === 'string' ? code : 'UNKNOWN',
      field: typeof field === 'string' ? field : null,
      reason: isReason(reason) ? reason : null,
      bounds,
      message: gql.message,
    };
  }
  return {
    code: 'NETWORK',
    field: null,
    reason: null,
    bounds: {},
    message: error.networkError?.message ?? error.message,
  };
}

export function isUnauthenticated(error: CombinedError | undefined | null): boolean {
  return errorCodes(error).includes('UNAUTHENTICATED');
}

/** A reason in words for a field: the server's refusal, or the same check made here first. */
export function describeReason(
  field: string | null,
  reason: ValidationReason,
  bounds: Bounds = {},
): Described {
  const text = (field === null ? undefined : BY_FIELD[field]?.[reason]) ?? BY_REASON[reason];
  const needs = text.needs ?? [];
  const params: Params = {};
  for (const name of needs) {
    const value = bounds[name];
    // A number the text needs is missing: say it without the number rather than show `{max}`.
    if (value === undefined) return { key: 'error.invalid' };
    params[name] = value;
  }
  const first = needs[0];
  if (first !== undefined) params.count = params[first] ?? 0;
  return needs.length > 0 ? { key: text.key, params } : { key: text.key };
}

/**
 * What to show the admin for an error. `byCode` lets a screen say what a code means there
 * (UNAUTHENTICATED on the sign-in form is a wrong password, elsewhere an expired session).
 */
export function describeError(
  error: FieldError,
  byCode: Partial<Record<string, Key>> = {},
): Described {
  if (error.reason) return describeReason(error.field, error.reason, error.bounds);
  const key = byCode[error.code] ?? BY_CODE[error.code];
  if (key) return { key };
  return { text: error.message };
}
