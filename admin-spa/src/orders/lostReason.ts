// The server's check on why a lead was lost, made before asking it, in the words of its refusal.
import { describeReason, type Described } from '../lib/errors';
import { LOST_REASON_MAX, charCount } from '../lib/limits';

/** Missing or too long (in characters, after trimming) for the server, or null. */
export function checkLostReason(reason: string): Described | null {
  const text = reason.trim();
  if (text === '') return describeReason('lostReason', 'REQUIRED');
  if (charCount(text) > LOST_REASON_MAX) {
    return describeReason('lostReason', 'TOO_LONG', { max: LOST_REASON_MAX });
  }
  return null;
}
