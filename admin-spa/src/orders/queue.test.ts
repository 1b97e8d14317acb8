import { describe, expect, it } from 'vitest';
import { isReopening, personName, tabTitle } from './queue';

describe('work queue rules', () => {
  it('names people surname first, skipping what is missing', () => {
    expect(personName({ surname: 'Петров', name: 'Иван', patronymic: 'Ильич' })).toBe(
      'Петров Иван Ильич',
    );
    expect(personName({ surname: 'Петров', name: 'Иван', patronymic: null })).toBe('Петров Иван');
  });

  it('asks before a closed order goes back to an open status', () => {
    expect(isReopening('WON', 'NEW')).toBe(true);
    expect(isReopening('LOST', 'IN_PROGRESS')).toBe(true);
    expect(isReopening('NEW', 'WON')).toBe(false);
    expect(isReopening('WON', 'LOST')).toBe(false);
    expect(isReopening('IN_PROGRESS', 'NEW')).toBe(false);
  });

  it('prefixes the tab title with the unread count', () => {
    expect(tabTitle('Orders', 'Order Desk', 0)).toBe('Orders · Order Desk');
    expect(tabTitle('Orders', 'Order Desk', 3)).toBe('(3) Orders · Order Desk');
    expect(tabTitle('', 'Order Desk', 120)).toBe('(99+) Order Desk');
  });
});
