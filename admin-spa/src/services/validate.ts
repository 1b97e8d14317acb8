// The server's checks on a service, made before asking it, in the words of its refusals.
import { describeReason, type Described } from '../lib/errors';
import { SERVICE_DESCRIPTION_MAX, SERVICE_NAME_MAX, charCount } from '../lib/limits';

export type ServiceField = 'name' | 'description' | 'priceFrom';

/** `ServiceDraft::PRICE_MAX` (server/src/services.rs). */
export const PRICE_MAX = 1_000_000_000;

const priceText = (value: string) => value.replace(/[\s\u00a0]/g, '');

/** The typed price: null when blank, NaN when not a whole number of at least 0. */
export function parsePrice(value: string): number | null {
  const text = priceText(value);
  if (text === '') return null;
  return /^\d+$/.test(text) ? Number(text) : NaN;
}

/** Too long (in characters, after trimming) or out of range for the server, or null. */
export function checkServiceField(field: ServiceField, value: string): Described | null {
  const text = value.trim();
  if (field === 'priceFrom') {
    const price = parsePrice(text);
    if (price === null) return null;
    // A negative whole number is a number out of range; "1,5", "12.5" or "abc" are no whole
    // number at all, and saying "from 0 to 1 000 000 000" about them would miss the point.
    const negative = /^[-\u2212]\d+$/.test(priceText(text));
    if (Number.isNaN(price) && !negative) return { key: 'services.priceWhole' };
    return negative || price > PRICE_MAX
      ? describeReason(field, 'OUT_OF_RANGE', { min: 0, max: PRICE_MAX })
      : null;
  }
  if (field === 'name') {
    // The server also checks the lower-cased name, its unique key ("İ" lower-cases to two).
    const length = Math.max(charCount(text), charCount(text.toLowerCase()));
    return length > SERVICE_NAME_MAX
      ? describeReason(field, 'TOO_LONG', { max: SERVICE_NAME_MAX })
      : null;
  }
  return charCount(text) > SERVICE_DESCRIPTION_MAX
    ? describeReason(field, 'TOO_LONG', { max: SERVICE_DESCRIPTION_MAX })
    : null;
}
