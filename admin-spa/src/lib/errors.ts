// GraphQL errors carry `extensions.code` (UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT +
// `extensions.field`, NOT_FOUND, RATE_LIMITED, INTERNAL). These helpers read them.
import type { CombinedError } from '@urql/core';
import type { Key } from '../i18n/dictionaries';
import type { Params } from '../i18n/plural';

export interface FieldError {
  field: string | null;
  code: string;
  message: string;
}

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
    const code = gql.extensions.code;
    const field = gql.extensions.field;
    return {
      code: typeof code === 'string' ? code : 'UNKNOWN',
      field: typeof field === 'string' ? field : null,
      message: gql.message,
    };
  }
  return { code: 'NETWORK', field: null, message: error.networkError?.message ?? error.message };
}

export function isUnauthenticated(error: CombinedError | undefined | null): boolean {
  return errorCodes(error).includes('UNAUTHENTICATED');
}

/** Server messages we know, translated; anything else is shown as the server said it. */
const KNOWN: Record<string, Key> = {
  'A service with this name already exists': 'error.duplicateName',
  'Name is required': 'error.nameRequired',
  'Say why the lead was lost': 'error.lostReasonRequired',
  'Wrong email or password': 'error.wrongCredentials',
  'Email is required': 'error.emailRequired',
  'Email is not a valid address': 'error.emailInvalid',
  'The end is before the start': 'error.rangeReversed',
  'The setup code is required: the server prints it in its log at start': 'error.setupCodeRequired',
  "The setup code is wrong: copy it from the server's log": 'error.setupCodeWrong',
};

/** Server messages with a number in them (`{label} must be at most {max} characters`, …). */
const PATTERNS: [RegExp, Key][] = [
  [/ must be at most (\d+) characters$/, 'error.tooLong'],
  [/^Password must be at least (\d+) characters$/, 'auth.passwordTooShort'],
  [/ contains control characters$/, 'error.controlChars'],
];

const BY_CODE: Partial<Record<string, Key>> = {
  RATE_LIMITED: 'error.rateLimited',
  INTERNAL: 'error.internal',
  NETWORK: 'error.network',
  FORBIDDEN: 'error.forbidden',
  NOT_FOUND: 'error.notFound',
};

/** What to show the admin for an error: a dictionary key, or the server's own words. */
export function describeError(error: FieldError): { key: Key; params?: Params } | { text: string } {
  const known = KNOWN[error.message];
  if (known) return { key: known };
  for (const [pattern, key] of PATTERNS) {
    const match = pattern.exec(error.message);
    if (match) return match[1] ? { key, params: { count: Number(match[1]) } } : { key };
  }
  const byCode = BY_CODE[error.code];
  if (byCode) return { key: byCode };
  return { text: error.message };
}
