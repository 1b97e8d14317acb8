import { describe, expect, it } from 'vitest';
import { LOST_REASON_MAX } from '../lib/limits';
import { checkLostReason } from './lostReason';

describe('lost reason check', () => {
  it('is required', () => {
    expect(checkLostReason('   ')).toEqual({ key: 'error.lostReasonRequired' });
  });

  it('fits the server’s limit in characters', () => {
    expect(checkLostReason('Chose a cheaper offer')).toBeNull();
    expect(checkLostReason('💸'.repeat(LOST_REASON_MAX))).toBeNull();
    expect(checkLostReason(`  ${'a'.repeat(LOST_REASON_MAX)}  `)).toBeNull();
    expect(checkLostReason('a'.repeat(LOST_REASON_MAX + 1))).toEqual({
      key: 'error.tooLong',
      params: { max: LOST_REASON_MAX, count: LOST_REASON_MAX },
    });
  });
});
