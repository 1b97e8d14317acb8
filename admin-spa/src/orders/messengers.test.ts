import { describe, expect, test } from 'vitest';
import { internationalNumber, messengerLink } from './messengers';

describe('messenger links', () => {
  test('the chosen messenger, from the phone as an international number', () => {
    expect(messengerLink('contact_whatsapp', '+7 (912) 555-12-34')).toEqual({
      method: 'contact_whatsapp',
      href: 'https://wa.me/79125551234',
    });
    expect(messengerLink('contact_telegram', '8 912 555 12 34')?.href).toBe(
      'https://t.me/+79125551234',
    );
  });

  test('none for another method, or without a phone', () => {
    expect(messengerLink('contact_phone', '+7 912 555-12-34')).toBeNull();
    expect(messengerLink('contact_email', '+7 912 555-12-34')).toBeNull();
    expect(messengerLink('contact_whatsapp', null)).toBeNull();
    expect(messengerLink(null, '+7 912 555-12-34')).toBeNull();
  });

  test('a domestic Russian 8 … is +7; an international number keeps its own code', () => {
    expect(internationalNumber('8 (912) 555-12-34')).toBe('79125551234');
    expect(internationalNumber('+86 10 1234 5678')).toBe('861012345678');
    expect(internationalNumber('+()')).toBeNull();
  });
});
