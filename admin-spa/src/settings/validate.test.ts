import { describe, expect, test } from 'vitest';
import { draftOf } from './draft';
import { checkSettings, checkSettingsField, isColor, type SettingsField } from './validate';
import type { SettingsDraft } from './draft';
import { UNSET_SETTINGS } from './testing';

const blank: SettingsDraft = draftOf(UNSET_SETTINGS);

const withField = (field: SettingsField, value: string): SettingsDraft =>
  field === 'logoUrl'
    ? { ...blank, logo: { kind: 'link', url: value } }
    : { ...blank, [field]: value };

const reasonKey = (field: SettingsField, value: string) => {
  const found = checkSettingsField(field, withField(field, value));
  return found && 'key' in found ? found.key : found;
};

describe('business settings checks before saving', () => {
  test('the QA pass’s six bad values are all found at once, each in its own words', () => {
    const found = checkSettings({
      ...blank,
      logo: { kind: 'link', url: 'http://example.com/logo.png' },
      primaryColor: 'red',
      email: 'not-email',
      privacyPolicyUrl: 'javascript:alert(1)',
      phone: 'звоните',
      telegram: '@romashka studio',
    });
    expect(found).toEqual({
      logoUrl: { key: 'error.httpsUrl' },
      primaryColor: { key: 'error.color' },
      phone: { key: 'error.phoneNumber' },
      email: { key: 'error.emailInvalid' },
      telegram: { key: 'error.telegram' },
      privacyPolicyUrl: { key: 'error.httpsUrl' },
    });
    // The form's order, which is where the focus goes first.
    expect(Object.keys(found)[0]).toBe('logoUrl');
  });

  test('blank fields are fine: blank means unset', () => {
    expect(checkSettings(blank)).toEqual({});
    expect(checkSettings({ ...blank, email: '   ', logo: { kind: 'link', url: ' ' } })).toEqual({});
  });

  // The server's `values_are_normalised` and `bad_values_name_their_field` cases, and the edges
  // of each rule (server/src/business.rs, values.rs).
  test.each<[SettingsField, string, string | null]>([
    ['name', '  Студия «Пиксель» ', null],
    ['name', 'x'.repeat(121), 'error.tooLong'],
    ['name', 'Iv\u200Ban', 'error.invisibleChars'],
    ['about', 'Семья 👨\u200D👩\u200D👧', null],
    ['about', 'see \u202Egnp.exe', 'error.invisibleChars'],
    ['address', 'a\u0007b', 'error.controlChars'],
    ['email', ' Hello@Pixel.RU ', null],
    ['email', 'nope', 'error.emailInvalid'],
    ['email', 'a@b', 'error.emailInvalid'],
    ['email', 'a@-b.ru', 'error.emailInvalid'],
    ['email', 'a b@c.ru', 'error.emailInvalid'],
    ['email', '@c.ru', 'error.emailInvalid'],
    ['phone', '+7 (912) 555-01-02', null],
    ['phone', 'call me', 'error.phoneNumber'],
    ['phone', '1234', 'error.phoneNumber'],
    ['phone', '12345', null],
    ['whatsapp', '+7 912 555 01 02 доб. 3', 'error.phoneNumber'],
    ['telegram', 'https://t.me/pixel_studio', null],
    ['telegram', 't.me/pixel_studio', null],
    ['telegram', '@pixel', null],
    ['telegram', '@a b', 'error.telegram'],
    ['telegram', '@abcd', 'error.telegram'],
    ['telegram', 'a'.repeat(33), 'error.telegram'],
    ['telegram', '@пиксель', 'error.telegram'],
    ['primaryColor', '#1A73E8', null],
    ['primaryColor', ' #1a73e8 ', null],
    ['primaryColor', 'red', 'error.color'],
    ['primaryColor', '#1a73e', 'error.color'],
    ['primaryColor', '#1a73eg', 'error.color'],
    ['privacyPolicyUrl', 'https://pixel.example/privacy?x=1#top', null],
    ['privacyPolicyUrl', 'https://пиксель.рф/политика', null],
    ['privacyPolicyUrl', 'javascript:alert(1)', 'error.httpsUrl'],
    ['privacyPolicyUrl', 'HTTPS://pixel.example', 'error.httpsUrl'],
    ['privacyPolicyUrl', 'https://', 'error.httpsUrl'],
    ['privacyPolicyUrl', 'https://pixel.example/a b', 'error.httpsUrl'],
    ['privacyPolicyUrl', 'https://pixel.example/"onload=', 'error.httpsUrl'],
    ['privacyPolicyUrl', 'https://evil_host.example/', 'error.httpsUrl'],
    ['privacyPolicyUrl', `https://x.ru/${'a'.repeat(490)}`, 'error.tooLong'],
    ['logoUrl', 'http://x.ru/a.png', 'error.httpsUrl'],
    ['logoUrl', 'https://x.ru/a.png', null],
  ])('%s %j: %s', (field, value, key) => {
    expect(reasonKey(field, value)).toBe(key);
  });

  test('a swatch colour is #rrggbb', () => {
    expect(isColor('#1f5fd1')).toBe(true);
    expect(isColor('red')).toBe(false);
    expect(isColor('')).toBe(false);
  });
});
