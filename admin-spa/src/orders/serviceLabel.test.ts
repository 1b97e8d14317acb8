import { describe, expect, it } from 'vitest';
import { serviceLabel } from './serviceLabel';

describe('serviceLabel', () => {
  it('names the service now, the one ordered when it is gone, or none', () => {
    const service = { __typename: 'Service' as const, id: '1', name: 'Audit' };
    expect(serviceLabel({ service, serviceName: 'Old' }, 'none', 'deleted')).toBe('Audit');
    expect(serviceLabel({ service: null, serviceName: 'Old' }, 'none', 'deleted')).toBe(
      'Old (deleted)',
    );
    expect(serviceLabel({ service: null, serviceName: null }, 'none', 'deleted')).toBe('none');
  });
});
