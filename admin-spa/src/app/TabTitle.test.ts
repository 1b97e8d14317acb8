import { describe, expect, it } from 'vitest';
import { pageTitleKey } from './TabTitle';

describe('tab titles', () => {
  it('name the section, or an order for a card', () => {
    expect(pageTitleKey('/orders')).toBe('nav.orders');
    expect(pageTitleKey('/orders/0190e0b2-0000-7000-8000-000000000000')).toBe('tab.order');
    expect(pageTitleKey('/leads/0190e0b2-0000-7000-8000-000000000000')).toBe('tab.order');
    expect(pageTitleKey('/stats')).toBe('nav.stats');
    expect(pageTitleKey('/settings')).toBe('nav.settings');
    expect(pageTitleKey('/')).toBeNull();
    expect(pageTitleKey('/nope')).toBeNull();
  });
});
