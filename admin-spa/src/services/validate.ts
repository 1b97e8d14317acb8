// The server's checks on a service, made before asking it, in the words of its refusals.
import { describeReason, type Described } from '../lib/errors';
import { SERVICE_DESCRIPTION_MAX, SERVICE_NAME_MAX, charCount } from '../lib/limits';

export type ServiceField = 'name' | 'description';

/** Too long for the server (in characters, after trimming), or null. */
export function checkServiceField(field: ServiceField, value: string): Described | null {
  const text = value.trim();
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
